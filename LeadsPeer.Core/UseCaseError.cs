namespace LeadsPeer.Core;

public enum FailureKind
{
    Invalid,
    NotFound,
    Forbidden,
    Conflict,
    Gone,

    /// <summary>An upload over the size limit.</summary>
    TooLarge,

    /// <summary>A file of a type the product cannot read.</summary>
    Unsupported,

    /// <summary>A service the use case passes the work to refused it or could not be reached.</summary>
    Upstream,
}

/// <summary>
/// Why a use case refused. Hosts turn it into their own form: a problem-details response in
/// the Api, a message in the dashboard. <paramref name="Errors"/> maps field names to messages.
/// </summary>
public sealed record UseCaseError(FailureKind Kind, string Title, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    /// <summary>Facts a client can act on beside the title (e.g. a conversation's current state), as problem-details extensions.</summary>
    public IReadOnlyDictionary<string, object?>? Facts { get; init; }

    public static UseCaseError NotFound(string title) => new(FailureKind.NotFound, title);
    public static UseCaseError Forbidden(string title) => new(FailureKind.Forbidden, title);
    public static UseCaseError Conflict(string title) => new(FailureKind.Conflict, title);
    public static UseCaseError Gone(string title) => new(FailureKind.Gone, title);
    public static UseCaseError Upstream(string title) => new(FailureKind.Upstream, title);

    public static UseCaseError Invalid(string field, string message) =>
        new(FailureKind.Invalid, "The request is not valid.", new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>A use case's result: a value, or the reason it was refused.</summary>
public readonly record struct Outcome<T>(T? Value, UseCaseError? Error)
{
    public bool Succeeded => Error is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(UseCaseError error) => new(default, error);
}
