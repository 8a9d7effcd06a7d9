using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadsPeer.Api;

/// <summary>File uploads (knowledge documents, catalog imports): multipart bodies read once, within their size limit.</summary>
public static class Uploads
{
    /// <summary>Room for the multipart envelope around the file itself.</summary>
    private const long MultipartOverhead = 64 * 1024;

    /// <summary>
    /// Reads the multipart body once, within <paramref name="maxFileBytes"/>, before anything else
    /// looks at it (the idempotency fingerprint hashes the file; the route reads the same cached form).
    /// </summary>
    public static RouteHandlerBuilder ReadsUploadWithin(this RouteHandlerBuilder route, Func<IServiceProvider, long> maxFileBytes) =>
        route.AddEndpointFilter(async (context, next) =>
        {
            var request = context.HttpContext.Request;
            var maxBytes = maxFileBytes(context.HttpContext.RequestServices);
            if (!request.HasFormContentType)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                    title: "Send the file as multipart/form-data, in a field named \"file\".");
            }

            // Refuse an oversized upload before reading it; a body without a declared length is cut
            // off by the server at the same size.
            var limit = maxBytes + MultipartOverhead;
            if (request.ContentLength > limit)
            {
                return TooLarge(maxBytes);
            }

            if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
            {
                sizeLimit.MaxRequestBodySize = limit;
            }

            try
            {
                await request.ReadFormAsync(request.HttpContext.RequestAborted);
            }
            catch (InvalidDataException)
            {
                // Multipart bodies the form reader cannot parse (or whose parts exceed its limits).
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The multipart body could not be read.");
            }

            return await next(context);
        });

    public static ProblemHttpResult TooLarge(long maxFileBytes) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: $"The file is larger than {maxFileBytes / (1024 * 1024)} MB.");
}
