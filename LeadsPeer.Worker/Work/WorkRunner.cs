using LeadsPeer.Core.Data;
using LeadsPeer.Core.Tenancy;
using LeadsPeer.Core.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Worker.Work;

/// <summary>
/// Runs one work row for a dispatch: takes it (one conditional update;
/// a row someone else holds is left to them), runs its handler in a scope acting for the row's
/// tenant, and records the result. Whatever happens, the row's state in PostgreSQL says what is
/// left to do, so a crash anywhere here loses nothing: the sweeper dispatches it again.
/// </summary>
public sealed partial class WorkRunner(
    WorkRows rows,
    WorkStreams streams,
    IServiceScopeFactory scopes,
    IOptions<WorkOptions> options,
    TimeProvider time,
    ILogger<WorkRunner> logger)
{
    /// <summary>Longest a consumer keeps a row that is not due yet; later rows are left to the sweeper.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs the row if it can be taken. When it is not due yet (its quiet time moved on: the
    /// customer wrote again), returns when it will be, for the caller to come back then without
    /// holding a run slot meanwhile; rows due later than <see cref="MaxWait"/> are left to the sweeper.
    /// </summary>
    public async Task<DateTimeOffset?> RunAsync(WorkKind kind, Guid id, CancellationToken cancellationToken)
    {
        var (lease, refusal, dueAt) = await rows.TryTakeAsync(id, options.Value.LeaseTime, cancellationToken);
        if (lease is not null)
        {
            await ExecuteAsync(lease, cancellationToken);
            return null;
        }

        return refusal == TakeRefusal.NotDue && dueAt is { } due && due - time.GetUtcNow() <= MaxWait ? due : null;
    }

    private async Task ExecuteAsync(WorkLease lease, CancellationToken cancellationToken)
    {
        IReadOnlyList<Guid> sends;
        await using (var scope = scopes.CreateAsyncScope())
        {
            sends = await RunInScopeAsync(scope.ServiceProvider, lease, cancellationToken);
        }

        // Whatever the run's result, what it queued has been committed: it leaves from here, now,
        // after the run's connection went back to the pool.
        await SendHeldAsync(sends, cancellationToken);
    }

    private async Task<IReadOnlyList<Guid>> RunInScopeAsync(IServiceProvider services, WorkLease lease, CancellationToken cancellationToken)
    {
        services.GetRequiredService<TenantContext>().Set(lease.TenantId);
        var held = services.GetRequiredService<HeldSends>();
        held.Hold();
        var handler = services.GetServices<IWorkHandler>().Single(h => h.Kind == lease.Kind);
        if (lease.Attempts >= options.Value.MaxAttempts)
        {
            // Every earlier run was taken and never finished: what it does stops the Worker (a
            // document that crashes the process). Quarantined, never run again.
            await GiveUpAsync(handler, lease, $"Gave up after {lease.Attempts} runs that never finished (the Worker stopped during each)");
            return [];
        }

        WorkResult result;
        using (var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var heartbeat = KeepLeaseAsync(lease, run);
            try
            {
                // One connection for the whole run: a turn reads and writes a few dozen times, and
                // each statement outside a transaction would otherwise take a pooled connection and
                // reset it on return (several statements on the server each time). A long run (a large
                // document) keeps it throughout: at most Work:Concurrency of them per kind.
                await services.GetRequiredService<LeadsPeerDbContext>().Database.OpenConnectionAsync(run.Token);
                result = await handler.HandleAsync(lease, run.Token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogFailed(logger, lease.Kind, lease.Id, ex.GetType().Name, StoreErrors.OneLine(ex));
                result = new WorkResult.Later(time.GetUtcNow() + Backoff(lease.Attempts), ex.GetType().Name, CountsAsAttempt: true);
            }
            finally
            {
                await run.CancelAsync();
                await heartbeat;
            }
        }

        switch (result)
        {
            case WorkResult.Later later when later.CountsAsAttempt && lease.Attempts + 1 >= options.Value.MaxAttempts:
                await GiveUpAsync(handler, lease, $"Gave up after {lease.Attempts + 1} attempts: {later.Reason}");
                break;
            case WorkResult.Later later:
                await rows.RetryLaterAsync(lease, later.DueAt, later.Reason, later.CountsAsAttempt, CancellationToken.None);
                if (later.DueAt - time.GetUtcNow() <= MaxWait)
                {
                    await streams.DispatchAsync(lease.Kind, lease.Id);
                }

                break;
            case WorkResult.GaveUp gaveUp:
                await rows.FailAsync(lease, gaveUp.Reason, CancellationToken.None);
                break;
            default:
                // Asked for again while running (another message in the turn): run once more.
                if (await rows.CompleteAsync(lease, CancellationToken.None))
                {
                    await streams.DispatchAsync(lease.Kind, lease.Id);
                }

                break;
        }

        return held.Take();
    }

    /// <summary>
    /// Runs the sends the run queued, one after another (a turn's reply is usually one message,
    /// and several go in their order). One that cannot run now (not due, this process stopping, the
    /// database away) gets its hint through Redis after all; its row is in PostgreSQL either way.
    /// </summary>
    private async Task SendHeldAsync(IReadOnlyList<Guid> sends, CancellationToken cancellationToken)
    {
        for (var i = 0; i < sends.Count; i++)
        {
            try
            {
                if (await RunAsync(WorkKind.Send, sends[i], cancellationToken) is null)
                {
                    continue;
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException || StoreErrors.IsUnreachable(ex))
            {
                LogHeldSendDeferred(logger, sends[i], ex.GetType().Name);
            }

            // The rest are not sent ahead of it from here either.
            await streams.DispatchAsync(sends.Skip(i).Select(id => (WorkKind.Send, id)));
            return;
        }
    }

    /// <summary>
    /// The handler closes its side first (a document failed and purged, a turn handed to the
    /// operators), then the row is failed. If the first step cannot be done now, the row stays
    /// taken, its lease expires, and the next take gives up again.
    /// </summary>
    private async Task GiveUpAsync(IWorkHandler handler, WorkLease lease, string reason)
    {
        await handler.GiveUpAsync(lease, reason, CancellationToken.None);
        await rows.FailAsync(lease, reason, CancellationToken.None);
        LogGaveUp(logger, lease.Kind, lease.Id, reason);
    }

    /// <summary>
    /// Renews the lease every third of its time while the handler runs, so a long run (a large PDF,
    /// a slow model) is not started again by another Worker; if the lease is lost anyway (this
    /// process stalled past it and another run took the row), the handler is cancelled.
    /// </summary>
    private async Task KeepLeaseAsync(WorkLease lease, CancellationTokenSource run)
    {
        var leaseTime = options.Value.LeaseTime;
        try
        {
            while (true)
            {
                await Task.Delay(leaseTime / 3, time, run.Token);
                try
                {
                    if (!await rows.RenewAsync(lease, leaseTime, run.Token))
                    {
                        LogLeaseLost(logger, lease.Kind, lease.Id);
                        await run.CancelAsync();
                        return;
                    }
                }
                catch (Exception ex) when (StoreErrors.IsUnreachable(ex))
                {
                    // PostgreSQL is away: the run goes on; the next beat tries again.
                    LogRenewFailed(logger, lease.Kind, lease.Id, StoreErrors.OneLine(ex));
                }
            }
        }
        catch (OperationCanceledException) when (run.IsCancellationRequested)
        {
            // The run ended (or was stopped): so does its heartbeat.
        }
    }

    /// <summary>Exponential back-off with jitter: about 1, 2, 4, 8, 16 s …, capped at 5 minutes.</summary>
    public static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromMilliseconds(Math.Min(300_000, 1000 * Math.Pow(2, attempts)) * (0.8 + Random.Shared.NextDouble() * 0.4));

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} work {WorkId} failed ({Exception}: {Reason}); it will be retried")]
    private static partial void LogFailed(ILogger logger, WorkKind kind, Guid workId, string exception, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Kind} work {WorkId} given up: {Reason}")]
    private static partial void LogGaveUp(ILogger logger, WorkKind kind, Guid workId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Send work {WorkId} queued by a run could not go from it ({Reason}); dispatched instead")]
    private static partial void LogHeldSendDeferred(ILogger logger, Guid workId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} work {WorkId} lost its lease to another run; this run stops")]
    private static partial void LogLeaseLost(ILogger logger, WorkKind kind, Guid workId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} work {WorkId}: its lease could not be renewed ({Reason}); the run goes on")]
    private static partial void LogRenewFailed(ILogger logger, WorkKind kind, Guid workId, string reason);
}
