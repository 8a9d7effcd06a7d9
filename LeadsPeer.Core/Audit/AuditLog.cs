using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Data;

namespace LeadsPeer.Core.Audit;

/// <summary>Where the current request came from, for the audit trail (set by the host per request).</summary>
public sealed class RequestOrigin
{
    public string? IpAddress { get; set; }
}

/// <summary>
/// Writes audit entries into the same unit of work as the action they record, so an entry exists
/// exactly when its action was committed.
/// </summary>
public sealed class AuditLog(LeadsPeerDbContext db, CurrentMember member, RequestOrigin origin, TimeProvider time)
{
    public AuditEntry Record(string action, string entityType, Guid? entityId, string? details = null) =>
        db.AuditEntries.Add(new AuditEntry
        {
            UserId = member.UserId,
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            Details = details is { Length: > 500 } ? details[..500] : details,
            IpAddress = origin.IpAddress,
            CreatedAt = time.GetUtcNow(),
        }).Entity;
}
