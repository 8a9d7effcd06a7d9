using LeadsPeer.Core.Tenancy;

namespace LeadsPeer.Core.WhatsApp.Sandbox;

/// <summary>
/// What the Meta simulator received for a sandbox number: the messages the business sent to its
/// simulated customers. The customer phone panel reads them as the customer's inbox.
/// </summary>
public sealed class SandboxMessage : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public Guid ConnectionId { get; set; }
    public required string WaMessageId { get; set; }

    /// <summary>The simulated customer's WhatsApp id.</summary>
    public required string Recipient { get; set; }
    public required string Type { get; set; }
    public string? Text { get; set; }

    /// <summary>The message as posted to the simulator's Graph endpoint (JSON).</summary>
    public required string Body { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
