namespace LeadsPeer.Worker.Work;

public sealed class WorkOptions
{
    public const string Section = "Work";

    /// <summary>How long a run holds its row; past it, the row counts as abandoned (its Worker died) and is run again.</summary>
    public TimeSpan LeaseTime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the sweeper looks for stranded work.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Pending work this long past due with nobody on it had its dispatch lost: the sweeper dispatches it again.</summary>
    public TimeSpan DispatchGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Stream entries a consumer has held this long without acknowledging belong to a stalled consumer and are claimed.</summary>
    public TimeSpan ClaimIdle { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Runs of one kind in parallel per Worker process.</summary>
    public int Concurrency { get; set; } = 16;

    /// <summary>
    /// Of those, the most one tenant's work may hold: the rest stay free for other tenants, so a
    /// tenant's burst never makes another tenant's customer wait for a whole run to end.
    /// </summary>
    public int TenantConcurrency { get; set; } = 12;

    /// <summary>Stream entries a consumer reads ahead and queues per tenant; a burst longer than this is seen as it drains.</summary>
    public int ReadAhead { get; set; } = 1000;

    /// <summary>Retryable failures before a row is given up.</summary>
    public int MaxAttempts { get; set; } = 6;
}
