using LeadsPeer.Core.Work;

namespace LeadsPeer.Worker.Work;

/// <summary>What a run decided about its work row.</summary>
public abstract record WorkResult
{
    public static readonly WorkResult Done = new Finished();

    /// <summary>Run again at <paramref name="DueAt"/>; <paramref name="CountsAsAttempt"/> is false for a deferral (a rate limit), true for a failure.</summary>
    public sealed record Later(DateTimeOffset DueAt, string? Reason, bool CountsAsAttempt) : WorkResult;

    /// <summary>Give up; the reason is kept on the row.</summary>
    public sealed record GaveUp(string Reason) : WorkResult;

    private sealed record Finished : WorkResult;
}

/// <summary>Does one kind of work. Runs in a DI scope acting for the work's tenant.</summary>
public interface IWorkHandler
{
    WorkKind Kind { get; }

    Task<WorkResult> HandleAsync(WorkLease lease, CancellationToken cancellationToken);

    /// <summary>
    /// The work is given up for good (its attempts are spent, or every run of it stopped the
    /// Worker): close what it leaves behind, in words for the business. The row is failed after.
    /// </summary>
    Task GiveUpAsync(WorkLease lease, string reason, CancellationToken cancellationToken) => Task.CompletedTask;
}
