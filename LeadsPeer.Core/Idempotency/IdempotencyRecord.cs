using LeadsPeer.Core.Tenancy;

namespace LeadsPeer.Core.Idempotency;

/// <summary>
/// A request a client marked with an <c>Idempotency-Key</c>: reserved while it runs, then the
/// first answer, kept until it expires so a retry gets that answer instead of doing it again.
/// Keys are per organisation. <see cref="IdempotencyKeys"/> is the one owner of its lifecycle.
/// </summary>
public sealed class IdempotencyRecord : ITenantOwned
{
    public Guid TenantId { get; set; }
    public required string Key { get; set; }

    /// <summary>SHA-256 of the request (method, route, its values, query and body): the same key with another request is refused.</summary>
    public required string Fingerprint { get; set; }

    /// <summary>Null while the first request runs (or after it was interrupted); its answer's status once done.</summary>
    public int? StatusCode { get; set; }
    public string? ContentType { get; set; }
    public string? Location { get; set; }
    public byte[]? Body { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
