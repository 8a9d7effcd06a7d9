using LeadsPeer.Core.Tenancy;

namespace LeadsPeer.Core.Conversations;

/// <summary>An end customer who writes to one of the organisation's WhatsApp numbers.</summary>
public sealed class Contact : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public Guid ConnectionId { get; set; }

    /// <summary>
    /// Who the customer is for this number: Meta's business-scoped <see cref="UserId"/> where Meta
    /// sends one, else the <see cref="WaId"/>. Unique per connection.
    /// </summary>
    public required string CustomerKey { get; set; }

    /// <summary>The customer's WhatsApp id (their phone number); personal data, never logged. Absent for some username users.</summary>
    public string? WaId { get; set; }

    /// <summary>Meta's business-scoped user id, where Meta sends one.</summary>
    public string? UserId { get; set; }
    /// <summary>The name the customer set in WhatsApp; ingest keeps it current.</summary>
    public string? ProfileName { get; set; }

    /// <summary>A name the team set (a correction at the customer's request); shown instead of <see cref="ProfileName"/>, which ingest never touches.</summary>
    public string? DisplayName { get; set; }

    /// <summary>
    /// Set when the business restricted processing at the customer's request ("do not process"):
    /// the AI does not answer them (their messages go to the team) and no template is sent.
    /// </summary>
    public DateTimeOffset? RestrictedAt { get; set; }

    /// <summary>Set when the customer wrote an opt-out word (STOP): business-initiated messages to them are refused.</summary>
    public DateTimeOffset? OptedOutAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
