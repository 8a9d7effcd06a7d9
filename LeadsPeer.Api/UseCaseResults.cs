using LeadsPeer.Core;

namespace LeadsPeer.Api;

/// <summary>How a refused use case answers over HTTP: always a problem-details body.</summary>
public static class UseCaseResults
{
    public static IResult ToProblem(this UseCaseError error) => error.Kind switch
    {
        FailureKind.Invalid when error.Errors is not null => TypedResults.ValidationProblem(error.Errors, title: error.Title),
        _ => TypedResults.Problem(statusCode: StatusCode(error.Kind), title: error.Title,
            extensions: error.Facts is null ? null : new Dictionary<string, object?>(error.Facts)),
    };

    private static int StatusCode(FailureKind kind) => kind switch
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
}
