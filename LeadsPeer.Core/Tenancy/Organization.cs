namespace LeadsPeer.Core.Tenancy;

/// <summary>A business that uses Leads Peer: the tenant every other row belongs to.</summary>
public sealed class Organization
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
