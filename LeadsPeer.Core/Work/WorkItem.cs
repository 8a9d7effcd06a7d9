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
    /// <summary>Runs that ended in a retryable failure, for back-off and the give-up limit.</summary>
    public int Attempts { get; set; }

    /// <summary>
    /// Bumped whenever the work is asked for again (a new message in the same turn). A run that
    /// started on an older generation leaves the item pending, so the newer request is served.
    /// </summary>
    public int Generation { get; set; }

    /// <summary>Not to be taken before this time (quiet time after a burst, retry back-off).</summary>
    public DateTimeOffset DueAt { get; set; }

    /// <summary>While a Worker holds the item; past it, another Worker may take it over.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }

    /// <summary>Identifies the current holder: only the run that took the item can finish it.</summary>
    public Guid? LeaseToken { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public enum WorkKind
{
    Reply,
    Send,
    IndexDocument,
    FetchMedia,
    MarkRead,
    ExportOrganization,
    BookingReminder,
    FlowLapse,
}

public enum WorkState
{
    Pending,
    Running,
    Done,
    Failed,
}
