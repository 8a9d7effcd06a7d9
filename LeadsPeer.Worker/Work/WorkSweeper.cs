using LeadsPeer.Core.Data;
using LeadsPeer.Core.Work;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Worker.Work;

/// <summary>
/// PostgreSQL is the truth, Redis only a hint: every few seconds, work that should be running
/// and is not — its dispatch lost (Redis down or flushed after the commit) or its Worker dead
/// (lease expired) — is dispatched again. Every Worker sweeps; taking a row is a conditional
/// update, so a row dispatched twice still runs once.
/// </summary>
public sealed partial class WorkSweeper(
    WorkRows rows,
    WorkStreams streams,
    IOptions<WorkOptions> options,
    TimeProvider time,
    ILogger<WorkSweeper> logger) : BackgroundService
{
    private const int BatchSize = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var stranded = await rows.FindStrandedAsync(options.Value.DispatchGrace, BatchSize, stoppingToken);
                if (stranded.Count > 0)
                {
                    LogRedispatching(logger, stranded.Count);
                    await streams.DispatchAsync(stranded);
                }
            }
            catch (Exception ex) when (StoreErrors.IsUnreachable(ex))
            {
                LogDatabaseAway(logger, StoreErrors.OneLine(ex));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dispatching {Count} stranded work item(s) again")]
    private static partial void LogRedispatching(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep skipped, PostgreSQL unreachable: {Reason}")]
    private static partial void LogDatabaseAway(ILogger logger, string reason);
}
