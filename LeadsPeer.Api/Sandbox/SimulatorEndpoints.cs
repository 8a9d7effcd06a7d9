using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Conversations.Interactive;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Security;
using LeadsPeer.Core.Tenancy;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Core.WhatsApp.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Api.Sandbox;

/// <summary>
/// Meta's Graph messages endpoint for sandbox numbers: the sender posts to it exactly as it posts
/// to Meta (same paths, bearer token, bodies, answers and error envelopes), it records what the
/// business sent, and, like Meta, reports sent → delivered → read through signed status webhooks.
/// </summary>
public static class SimulatorEndpoints
{
    public const string Prefix = "/simulator";

    public static IEndpointRouteBuilder MapSimulatorEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost($"{Prefix}/{{version}}/{{phoneNumberId}}/messages", SendAsync)
            .AllowAnonymous().ExcludeFromDescription();
        routes.MapSimulatorTemplateEndpoints();
        return routes;
    }

    private static async Task<IResult> SendAsync(
        string phoneNumberId,
        HttpRequest request,
        LeadsPeerDbContext db,
        TenantContext tenant,
        TokenProtector protector,
        SimulatedStatusPoster statuses,
        IOptions<SandboxOptions> options,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var connection = await db.WhatsAppConnections.AcrossTenants().AsNoTracking()
            .SingleOrDefaultAsync(c => c.PhoneNumberId == phoneNumberId && c.Kind == WhatsAppConnectionKind.Sandbox
                                       && c.Status != WhatsAppConnectionStatus.Removed, cancellationToken);
        if (connection is null)
        {
            return GraphError(400, 100, 33, $"Unsupported post request. Object with ID '{phoneNumberId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.");
        }

        if (!HasToken(request, connection, protector))
        {
            return GraphError(401, 190, null, "Invalid OAuth access token - Cannot parse access token");
        }

        JsonObject? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }

        if (body is null || body["messaging_product"]?.GetValue<string>() != "whatsapp")
        {
            return GraphError(400, 100, null, "(#100) The parameter messaging_product is required.");
        }

        // Mark as read (with or without the typing indicator).
        if (body["status"]?.GetValue<string>() == "read")
        {
            return TypedResults.Json(new JsonObject { ["success"] = true });
        }

        var to = body["to"]?.GetValue<string>();
        var type = body["type"]?.GetValue<string>() ?? "text";
        var text = type switch
        {
            "text" => body["text"]?["body"]?.GetValue<string>(),
            "interactive" => body["interactive"]?["body"]?["text"]?.GetValue<string>(),
            _ => null,
        };
        if (string.IsNullOrWhiteSpace(to))
        {
            return GraphError(400, 100, null, "(#100) The parameter to is required.");
        }

        if (type == "text" && (string.IsNullOrWhiteSpace(text) || text.Length > Outbox.MaxTextLength))
        {
            return GraphError(400, 100, null, "(#100) Param text['body'] must be between 1 and 4096 characters.");
        }

        if (type == "interactive" && (InvalidInteractive(body) ?? await SandboxCatalog.InvalidProductsAsync(db, tenant, connection, body, cancellationToken)) is { } invalid)
        {
            return GraphError(400, 131009, null, $"(#131009) Parameter value is not valid: {invalid}");
        }

        var now = time.GetUtcNow();
        if (type == "template")
        {
            var (rendered, refused) = await SimulatorTemplateEndpoints.RenderAsync(db, connection, body["template"] as JsonObject, now, cancellationToken);
            if (refused is not null)
            {
                return refused;
            }

            text = rendered;
        }

        var wamid = SimulatedWebhooks.NewWamid();
        tenant.Set(connection.TenantId);
        db.SandboxMessages.Add(new SandboxMessage
        {
            ConnectionId = connection.Id,
            WaMessageId = wamid,
            Recipient = to,
            Type = type.Length > 32 ? type[..32] : type,
            Text = text,
            Body = body.ToJsonString(),
            CreatedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);

        statuses.Enqueue(now, SimulatedWebhooks.Status(connection, wamid, to, "sent", now));
        statuses.Enqueue(now + options.Value.DeliveredAfter, SimulatedWebhooks.Status(connection, wamid, to, "delivered", now + options.Value.DeliveredAfter));
        statuses.Enqueue(now + options.Value.ReadAfter, SimulatedWebhooks.Status(connection, wamid, to, "read", now + options.Value.ReadAfter));

        return TypedResults.Json(new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["contacts"] = new JsonArray(new JsonObject { ["input"] = to, ["wa_id"] = to }),
            ["messages"] = new JsonArray(new JsonObject { ["id"] = wamid }),
        });
    }

    /// <summary>What Graph would refuse in an interactive message (its shape and the limits on its choices); null when valid.</summary>
    private static string? InvalidInteractive(JsonObject body)
    {
        var interactive = body["interactive"];
        var kind = interactive?["type"]?.GetValue<string>();
        var bodyText = interactive?["body"]?["text"]?.GetValue<string>();
        var choices = InteractiveMessages.ChoicesOf(body);
        var products = InteractiveMessages.ProductsOf(body);
        return kind switch
        {
            InteractiveMessages.Product when bodyText?.Length > InteractiveLimits.Body => "interactive.body.text must be at most 1024 characters",
            InteractiveMessages.Product when products.Count != 1 => "interactive.action.product_retailer_id is required",
            InteractiveMessages.Product => null,
            _ when string.IsNullOrEmpty(bodyText) || bodyText.Length > InteractiveLimits.Body => "interactive.body.text must be 1 to 1024 characters",
            InteractiveMessages.ProductList when interactive?["header"]?["text"]?.GetValue<string>() is not { Length: > 0 and <= InteractiveLimits.Header }
                => "interactive.header is required for a product list (text, at most 60 characters)",
            InteractiveMessages.ProductList when products.Count is 0 or > InteractiveLimits.MaxProducts => "interactive.action.sections: 1 to 30 products",
            InteractiveMessages.ProductList => null,
            InteractiveMessages.Button when choices.Count is 0 or > InteractiveLimits.MaxButtons || choices.Any(c => c.Title.Length > InteractiveLimits.ButtonTitle)
                => "interactive.action.buttons: 1 to 3 buttons, titles at most 20 characters",
            InteractiveMessages.List when choices.Count is 0 or > InteractiveLimits.MaxRows || choices.Any(c => c.Title.Length > InteractiveLimits.RowTitle)
                => "interactive.action.sections: 1 to 10 rows, titles at most 24 characters",
            InteractiveMessages.Button or InteractiveMessages.List or InteractiveMessages.CtaUrl => null,
            _ => "interactive.type is not supported",
        };
    }

    internal static bool HasToken(HttpRequest request, WhatsAppConnection connection, TokenProtector protector)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || connection.EncryptedAccessToken is null)
        {
            return false;
        }

        try
        {
            var expected = protector.AccessTokenOf(connection);
            return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header["Bearer ".Length..]), Encoding.UTF8.GetBytes(expected));
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Meta's error envelope: <c>{"error":{"message","type","code","error_subcode","fbtrace_id"}}</c>.</summary>
    internal static IResult GraphError(int status, int code, int? subcode, string message) => TypedResults.Json(
        new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["message"] = message,
                ["type"] = "OAuthException",
                ["code"] = code,
                ["error_subcode"] = subcode,
                ["fbtrace_id"] = "Simulator",
            },
        },
        statusCode: status);
}
