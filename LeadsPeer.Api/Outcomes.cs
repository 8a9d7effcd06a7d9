using System.Reflection;
using LeadsPeer.Core;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace LeadsPeer.Api;

/// <summary>
/// A refused use case over HTTP: always a problem-details body — 400 with the fields' errors, or
/// the status of its <see cref="FailureKind"/> with the title and the facts a client can act on.
/// As a typed result it tells OpenAPI about the 400 every route can give; each route names the
/// other refusals it can give with <see cref="OutcomeResults.Refuses"/>.
/// </summary>
public sealed class Refusal(UseCaseError error) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    public UseCaseError Error => error;

    public int? StatusCode => StatusCodeOf(error.Kind);

    public Task ExecuteAsync(HttpContext httpContext) => (error.Kind switch
    {
        FailureKind.Invalid when error.Errors is not null => (IResult)TypedResults.ValidationProblem(error.Errors, title: error.Title),
        _ => TypedResults.Problem(statusCode: StatusCode, title: error.Title,
            extensions: error.Facts is null ? null : new Dictionary<string, object?>(error.Facts)),
    }).ExecuteAsync(httpContext);

    public static int StatusCodeOf(FailureKind kind) => kind switch
    {
        FailureKind.Invalid => StatusCodes.Status400BadRequest,
        FailureKind.NotFound => StatusCodes.Status404NotFound,
        FailureKind.Forbidden => StatusCodes.Status403Forbidden,
        FailureKind.Conflict => StatusCodes.Status409Conflict,
        FailureKind.Gone => StatusCodes.Status410Gone,
        FailureKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        FailureKind.Unsupported => StatusCodes.Status415UnsupportedMediaType,
        FailureKind.Upstream => StatusCodes.Status502BadGateway,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails), ["application/problem+json"]));
}

/// <summary>The one adapter from a use case's <see cref="Outcome{T}"/> to a typed HTTP result.</summary>
public static class OutcomeResults
{
    public static Refusal ToRefusal(this UseCaseError error) => new(error);

    public static async Task<Results<Ok<T>, Refusal>> OkOrRefusal<T>(this Task<Outcome<T>> action)
    {
        var outcome = await action;
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : new Refusal(outcome.Error!);
    }

    public static Results<Ok<T>, Refusal> OkOrRefusal<T>(this Outcome<T> outcome) =>
        outcome.Succeeded ? TypedResults.Ok(outcome.Value) : new Refusal(outcome.Error!);

    public static async Task<Results<NoContent, Refusal>> NoContentOrRefusal<T>(this Task<Outcome<T>> action)
    {
        var outcome = await action;
        return outcome.Succeeded ? TypedResults.NoContent() : new Refusal(outcome.Error!);
    }

    public static async Task<Results<Created<T>, Refusal>> CreatedOrRefusal<T>(this Task<Outcome<T>> action, Func<T, string> location)
    {
        var outcome = await action;
        return outcome.Succeeded ? TypedResults.Created(location(outcome.Value!), outcome.Value) : new Refusal(outcome.Error!);
    }

    public static async Task<Results<Accepted<T>, Refusal>> AcceptedOrRefusal<T>(this Task<Outcome<T>> action, Func<T, string?> location)
    {
        var outcome = await action;
        return outcome.Succeeded ? TypedResults.Accepted(location(outcome.Value!), outcome.Value) : new Refusal(outcome.Error!);
    }

    /// <summary>Tells OpenAPI which other refusals (beyond 400) a route can answer, each with its problem-details body.</summary>
    public static TBuilder Refuses<TBuilder>(this TBuilder builder, params FailureKind[] kinds) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var kind in kinds)
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(Refusal.StatusCodeOf(kind), typeof(ProblemDetails), ["application/problem+json"]));
        }

        return builder;
    }

    /// <summary>Authorized groups: 401 without a valid token, 403 without the permission (problem-details bodies from the status code pages).</summary>
    public static RouteGroupBuilder RequiresPermission(this RouteGroupBuilder group, string policy) =>
        group.RequireAuthorization(policy)
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(ProblemDetails), ["application/problem+json"]))
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status403Forbidden, typeof(ProblemDetails), ["application/problem+json"]));
}
