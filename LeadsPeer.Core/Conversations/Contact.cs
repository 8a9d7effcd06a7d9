using LeadsPeer.Core.Tenancy;

namespace LeadsPeer.Core.Conversations;

/// <summary>An end customer who writes to one of the organisation's WhatsApp numbers.</summary>
public sealed class Contact : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public Guid ConnectionId { get; set; }

    /// <summary>The customer's WhatsApp id (their phone number); personal data, never logged.</summary>
    public required string WaId { get; set; }

    /// <summary>Meta's business-scoped user id, where Meta sends one.</summary>
    public string? UserId { get; set; }
    public string? ProfileName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
