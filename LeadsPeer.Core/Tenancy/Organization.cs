namespace LeadsPeer.Core.Tenancy;

/// <summary>A business that uses Leads Peer: the tenant every other row belongs to.</summary>
public sealed class Organization
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When an Owner asked to close the organisation; null while it is open. Written only by <see cref="Privacy.OrganizationClosure"/>.</summary>
    public DateTimeOffset? ClosureRequestedAt { get; set; }

    /// <summary>When the purge deletes every row of the organisation (at most 30 days after the request).</summary>
    public DateTimeOffset? PurgeAt { get; set; }

    /// <summary>Who asked to close it.</summary>
    public Guid? ClosureRequestedBy { get; set; }

    /// <summary>
    /// Optional conversation retention set by the business: conversations whose last message is
    /// older than this many months are deleted. Null keeps them until the business deletes them.
    /// </summary>
    public int? ConversationRetentionMonths { get; set; }
}
