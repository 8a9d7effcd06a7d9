using LeadsPeer.Core.Tenancy;

namespace LeadsPeer.Core.Work;

/// <summary>
/// A durable piece of work (answer a turn, send a reply, index a document). The row is the
/// truth; a Redis stream entry only tells a Worker to look. A sweeper re-dispatches rows whose
/// state says unfinished, so losing Redis or a Worker loses nothing.
/// </summary>
public sealed class WorkItem : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public WorkKind Kind { get; set; }

    /// <summary>The row the work is about (conversation, message, document).</summary>
    public Guid SubjectId { get; set; }

    /// <summary>Unique per kind: recording the same work twice (a retried webhook) is a no-op.</summary>
    public required string DedupeKey { get; set; }
    public WorkState State { get; set; }
    public int Attempts { get; set; }

    /// <summary>Not to be taken before this time (quiet time after a burst, retry back-off).</summary>
    public DateTimeOffset DueAt { get; set; }

    /// <summary>While a Worker holds the item; past it, another Worker may take it over.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public enum WorkKind
{
    Reply,
    Send,
    IndexDocument,
}

public enum WorkState
{
    Pending,
    Running,
    Done,
    Failed,
}
