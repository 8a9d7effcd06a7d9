using LeadsPeer.Core.Tenancy;

namespace LeadsPeer.Core.Audit;

/// <summary>
/// One operator or admin action, append-only: who, in which organisation, what, on which entity,
/// when and from where. Never message bodies, phone numbers or tokens.
/// </summary>
public sealed class AuditEntry : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }

    /// <summary>The person who acted; null for the system (the AI's handoff).</summary>
    public Guid? UserId { get; set; }

    /// <summary>What happened, e.g. <c>conversation.claim</c>.</summary>
    public required string Action { get; set; }
    public required string EntityType { get; set; }
    public Guid? EntityId { get; set; }

    /// <summary>A few words of context (a state change, a role), never personal content.</summary>
    public string? Details { get; set; }
    public string? IpAddress { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
