using Microsoft.AspNetCore.Http.Features;

namespace LeadsPeer.Api;

/// <summary>
/// JSON requests to the API are small (a sign-up, an invitation); anything far larger is a
/// mistake or an attack, refused with 413 before it is read. File uploads (multipart) are not
/// JSON and keep their own, larger limits.
/// </summary>
public static class JsonBodyLimit
{
    public const long MaxBytes = 64 * 1024;

    public static IApplicationBuilder UseJsonBodyLimit(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            // Meta's webhooks are larger and have their own limit (WebhookEndpoints).
            if (request.HasJsonContentType() && !request.Path.StartsWithSegments(WhatsApp.WebhookEndpoints.Path))
            {
                if (request.ContentLength > MaxBytes)
                {
                    await Results.Problem(
                        statusCode: StatusCodes.Status413PayloadTooLarge,
                        title: $"The request body is larger than {MaxBytes / 1024} KB.").ExecuteAsync(context);
                    return;
                }

                // Bodies without a declared length are cut off by the server at the same size.
                if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                {
                    limit.MaxRequestBodySize = MaxBytes;
                }
            }

            await next(context);
        });
}
