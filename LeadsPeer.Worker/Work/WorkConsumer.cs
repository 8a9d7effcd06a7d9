using LeadsPeer.Core.Data;
using LeadsPeer.Core.Work;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LeadsPeer.Worker.Work;

/// <summary>
/// Reads one kind's Redis stream as a member of the Workers' consumer group, so each dispatch
/// reaches one Worker replica, and runs up to <see cref="WorkOptions.Concurrency"/> rows at once.
/// What it reads waits in a <see cref="TenantFairQueue"/>, so tenants take turns instead of the
/// stream's order deciding who waits. An entry is acknowledged only after its run ends; a
/// consumer that dies leaves its entries pending, and another claims them once idle long
/// enough. The stream only says "look": every decision is taken from the row in PostgreSQL.
/// </summary>
public sealed partial class WorkConsumer(
    WorkKind kind,
    IConnectionMultiplexer redis,
    WorkRows rows,
    WorkRunner runner,
    IOptions<WorkOptions> options,
    TimeProvider time,
    ILogger<WorkConsumer> logger) : BackgroundService
{
    // The client multiplexes one connection and has no blocking read: poll, briefly when idle.
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ClaimEvery = TimeSpan.FromSeconds(15);

    private readonly string _consumer = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";
    private readonly RedisKey _stream = WorkStreams.StreamFor(kind);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var queue = new TenantFairQueue(Math.Clamp(settings.TenantConcurrency, 1, settings.Concurrency));
        var running = new HashSet<Task>();
        var lastClaim = DateTimeOffset.MinValue;
        var groupReady = false;
        var redisWasDown = false;

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var database = redis.GetDatabase();
                    if (!groupReady)
                    {
                        await EnsureGroupAsync(database);
                        groupReady = true;
                    }

                    if (redisWasDown)
                    {
                        LogRedisBack(logger, kind);
                        redisWasDown = false;
                    }

                    // Everything the stream holds, up to the read-ahead: every tenant's waiting work is seen.
                    var room = settings.ReadAhead - queue.Count;
                    var read = 0;
                    if (room > 0)
                    {
                        var entries = await database.StreamReadGroupAsync(_stream, WorkStreams.ConsumerGroup, _consumer, ">", count: room);
                        if (entries.Length == 0 && time.GetUtcNow() - lastClaim > ClaimEvery)
                        {
                            // Entries a stalled or dead consumer took and never acknowledged.
                            lastClaim = time.GetUtcNow();
                            var claimed = await database.StreamAutoClaimAsync(_stream, WorkStreams.ConsumerGroup, _consumer,
                                (long)settings.ClaimIdle.TotalMilliseconds, "0-0", room);
                            entries = claimed.ClaimedEntries;
                        }

                        read = entries.Length;
                        if (read > 0)
                        {
                            await QueueAsync(database, queue, entries, stoppingToken);
                        }
                    }

                    var now = time.GetUtcNow();
                    while (running.Count < settings.Concurrency && queue.TryTake(now, out var work))
                    {
                        running.Add(RunAsync(database, queue, work, stoppingToken));
                    }

                    running.RemoveWhere(t => t.IsCompleted);
                    if (read == room && room > 0 && running.Count < settings.Concurrency)
                    {
                        continue; // the stream may hold more, and there is room to run it
                    }

                    // Until a run ends, the next queued row falls due, or the next look at the stream.
                    var wait = queue.NextDue() is { } next && next - now < IdlePoll ? next - now : IdlePoll;
                    await Task.WhenAny(running.Append(Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), time, stoppingToken)));
                    running.RemoveWhere(t => t.IsCompleted);
                }
                catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
                {
                    // Redis was flushed or restarted empty: recreate the group; the sweeper re-dispatches the rows.
                    groupReady = false;
                }
                catch (Exception ex) when (RedisOutage.Is(ex))
                {
                    if (!redisWasDown)
                    {
                        LogRedisDown(logger, kind, ex.GetType().Name);
                        redisWasDown = true;
                    }

                    groupReady = false;
                    await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
                }
                catch (Exception ex) when (StoreErrors.IsUnreachable(ex))
                {
                    // The entries just read stay pending: claimed again later, and the sweeper re-dispatches their rows.
                    LogDatabaseAway(logger, kind, StoreErrors.OneLine(ex));
                    await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: queued entries stay pending for the next consumer; runs in flight finish below.
        }

        await Task.WhenAll(running);
    }

    /// <summary>Queues a batch of entries by their rows' tenants (one query); an entry whose row is finished, gone or already queued is acknowledged at once.</summary>
    private async Task QueueAsync(IDatabase database, TenantFairQueue queue, StreamEntry[] entries, CancellationToken cancellationToken)
    {
        var ids = entries.Select(e => Guid.TryParse(e[WorkStreams.IdField].ToString(), out var id) ? id : Guid.Empty).ToArray();
        var found = await rows.PeekAsync(ids.Where(id => id != Guid.Empty).Distinct().ToArray(), cancellationToken);
        var done = new List<RedisValue>();
        for (var i = 0; i < entries.Length; i++)
        {
            if (!found.TryGetValue(ids[i], out var row) || !queue.TryAdd(new QueuedWork(entries[i].Id, ids[i], row.TenantId, row.DueAt)))
            {
                done.Add(entries[i].Id);
            }
        }

        if (done.Count > 0)
        {
            await database.StreamAcknowledgeAsync(_stream, WorkStreams.ConsumerGroup, [.. done]);
        }
    }

    private async Task RunAsync(IDatabase database, TenantFairQueue queue, QueuedWork work, CancellationToken stoppingToken)
    {
        try
        {
            // Not due yet (the customer wrote again, so the quiet time moved on): queued again
            // for then, its entry still pending, no slot held while it waits.
            if (await runner.RunAsync(kind, work.WorkId, stoppingToken) is { } dueAt && queue.TryAdd(work with { DueAt = dueAt }))
            {
                return;
            }

            await database.StreamAcknowledgeAsync(_stream, WorkStreams.ConsumerGroup, work.EntryId);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the entry stays pending and the row unfinished; both are picked up again.
        }
        catch (Exception ex)
        {
            // Not acknowledged: claimed again later, and the row's state still says what is left to do.
            LogEntryFailed(logger, kind, ex.GetType().Name);
        }
        finally
        {
            queue.Finished(work.TenantId);
        }
    }

    private async Task EnsureGroupAsync(IDatabase database)
    {
        try
        {
            // From the start of the stream: entries added before the group existed are work too.
            await database.StreamCreateConsumerGroupAsync(_stream, WorkStreams.ConsumerGroup, "0-0", createStream: true);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} consumer cannot reach Redis ({Reason}); work stays in PostgreSQL until it is back")]
    private static partial void LogRedisDown(ILogger logger, WorkKind kind, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} consumer reached Redis again")]
    private static partial void LogRedisBack(ILogger logger, WorkKind kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} consumer cannot read its rows from PostgreSQL ({Reason}); the entries are claimed again later")]
    private static partial void LogDatabaseAway(ILogger logger, WorkKind kind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} stream entry not finished ({Reason}); it will be claimed again")]
    private static partial void LogEntryFailed(ILogger logger, WorkKind kind, string reason);
}
