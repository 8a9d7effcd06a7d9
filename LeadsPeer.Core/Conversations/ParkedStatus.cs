using LeadsPeer.Core.Tenancy;

namespace LeadsPeer.Core.Conversations;

/// <summary>
/// A delivery status whose message is not known yet: Meta's status webhook can beat the commit
/// of the send that caused it. It waits here and is applied when the message records its wamid.
/// </summary>
public sealed class ParkedStatus : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public required string WaMessageId { get; set; }
    public MessageStatus Status { get; set; }
    public int? ErrorCode { get; set; }
    public string? ErrorTitle { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
