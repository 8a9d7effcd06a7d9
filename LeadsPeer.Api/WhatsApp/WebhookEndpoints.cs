using System.Security.Cryptography;
using System.Text;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Core.WhatsApp.Webhooks;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Api.WhatsApp;

/// <summary>
/// Meta's webhook callback: the verification handshake (GET) and deliveries (POST). Meta is the
/// only caller; it retries anything but a 2xx for days, so the answers follow its rules exactly.
/// </summary>
public static partial class WebhookEndpoints
{
    public const string Path = "/webhooks/whatsapp";

    /// <summary>Meta's payloads are at most a few MB; anything larger is not Meta.</summary>
    public const int MaxBodyBytes = 3 * 1024 * 1024;

    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder routes)
    {
        var webhooks = routes.MapGroup(Path).WithTags("Webhooks").AllowAnonymous();
        webhooks.MapGet("", Verify);
        webhooks.MapPost("", ReceiveAsync);
        return routes;
    }

    /// <summary>The subscription handshake: echo the challenge when the verify token matches. No signature on this one.</summary>
    private static IResult Verify(HttpRequest request, IOptions<WhatsAppOptions> options)
    {
        var mode = request.Query["hub.mode"].ToString();
        var token = request.Query["hub.verify_token"].ToString();
        var challenge = request.Query["hub.challenge"].ToString();
        var expected = options.Value.VerifyToken ?? "";
        var matches = CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(expected));
        return mode == "subscribe" && matches && expected.Length > 0
            ? TypedResults.Text(challenge, "text/plain")
            : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The verify token does not match.");
    }

    private static async Task<IResult> ReceiveAsync(HttpContext context, WebhookProcessor processor, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return TooLarge();
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        // The signature covers the raw bytes, so they are read whole before anything parses them.
        var body = await ReadBodyAsync(context.Request.Body, cancellationToken);
        if (body is null)
        {
            return TooLarge();
        }

        WebhookOutcome outcome;
        try
        {
            outcome = await processor.ProcessAsync(body.Value, context.Request.Headers[WebhookSignature.Header].FirstOrDefault(), cancellationToken);
        }
        catch (Exception ex) when (StoreErrors.IsUnreachable(ex))
        {
            // Nothing was stored (the transaction did not commit): Meta delivers it again.
            LogNotStored(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebhookEndpoints)), StoreErrors.OneLine(ex));
            context.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The webhook could not be stored just now; deliver it again shortly.");
        }

        return outcome switch
        {
            WebhookOutcome.Unauthorized => TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Missing or invalid X-Hub-Signature-256."),
            WebhookOutcome.Malformed => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not a JSON object."),
            WebhookOutcome.Busy => Busy(context),
            _ => TypedResults.Ok(),
        };
    }

    /// <summary>Meta retries a 5xx later: the webhook is not lost, and the queue does not grow without bound.</summary>
    private static IResult Busy(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "5";
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Too many webhooks are waiting to be stored; deliver this one again shortly.");
    }

    private static IResult TooLarge() =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: $"Webhook bodies are limited to {MaxBodyBytes / 1024 / 1024} MB.");

    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        try
        {
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook not stored, PostgreSQL unreachable: {Reason}")]
    private static partial void LogNotStored(ILogger logger, string reason);
}
