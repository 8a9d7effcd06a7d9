using LeadsPeer.Core.Tenancy;

namespace LeadsPeer.Core.WhatsApp.Sandbox;

/// <summary>
/// A template as the Meta simulator holds it for a sandbox WABA — the simulator's side, not the
/// product's copy (<see cref="Templates.MessageTemplate"/>), which learns of it only through the
/// simulated Graph calls and webhooks. Review is simulated: a template is PENDING until
/// <see cref="DecidedAt"/>, then <see cref="Decision"/>.
/// </summary>
public sealed class SandboxTemplate : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public Guid ConnectionId { get; set; }
    public required string WabaId { get; set; }

    /// <summary>The id Meta would give (digits).</summary>
    public required string MetaId { get; set; }
    public required string Name { get; set; }
    public required string Language { get; set; }
    public required string Category { get; set; }
    public required string ParameterFormat { get; set; }

    /// <summary>The components as submitted (JSON).</summary>
    public required string Components { get; set; }

    /// <summary>APPROVED, or REJECTED for a name starting <c>reject_</c>.</summary>
    public required string Decision { get; set; }
    public string? RejectedReason { get; set; }
    public DateTimeOffset DecidedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public string StatusAt(DateTimeOffset now) => now >= DecidedAt ? Decision : "PENDING";
}
