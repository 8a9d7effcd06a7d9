using LeadsPeer.Core.Idempotency;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace LeadsPeer.Api.Idempotency;

public static class IdempotencyExtensions
{
    /// <summary>Marker metadata: the route takes an <c>Idempotency-Key</c>.</summary>
    public sealed class IdempotentMetadata;

    /// <summary>
    /// The route honours <c>Idempotency-Key</c> (see <see cref="IdempotencyFilter"/>). Put it on every
    /// route that creates or sends something a client could retry.
    /// </summary>
    public static RouteHandlerBuilder Idempotent(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new IdempotentMetadata())
            .AddEndpointFilter<RouteHandlerBuilder, IdempotencyFilter>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = IdempotencyKeys.Header,
                    In = ParameterLocation.Header,
                    Required = false,
                    Description = "Any unique value (a UUID) per intended action: a retry with the same key and request gets the first answer and does nothing again. Kept 24 hours, per organisation.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = IdempotencyKeys.MaxKeyLength },
                });
                return Task.CompletedTask;
            });

    /// <summary>
    /// Keeps a keyed request's JSON body readable after it is bound, so its fingerprint can hash
    /// it (the JSON limit keeps such bodies small).
    /// </summary>
    public static IApplicationBuilder UseIdempotentRequestBodies(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.Request.Headers.ContainsKey(IdempotencyKeys.Header)
                && context.GetEndpoint()?.Metadata.GetMetadata<IdempotentMetadata>() is not null
                && !context.Request.HasFormContentType)
            {
                context.Request.EnableBuffering();
            }

            return next(context);
        });
}
