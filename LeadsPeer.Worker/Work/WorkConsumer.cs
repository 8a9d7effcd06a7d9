using LeadsPeer.Core.Data;
using LeadsPeer.Core.Work;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LeadsPeer.Worker.Work;

/// <summary>
/// Reads one kind's Redis stream as a member of the Workers' consumer group, so each dispatch
/// reaches one Worker replica, and runs up to <see cref="WorkOptions.Concurrency"/> rows at once.
/// An entry is acknowledged only after its run ends; a consumer that dies leaves its entries
/// pending, and another claims them once idle long enough. The stream only says "look": every
/// decision is taken from the row in PostgreSQL.
/// </summary>
public sealed partial class WorkConsumer(
    WorkKind kind,
    IConnectionMultiplexer redis,
    WorkRunner runner,
    IOptions<WorkOptions> options,
    ILogger<WorkConsumer> logger) : BackgroundService
{
    // The client multiplexes one connection and has no blocking read: poll, briefly when idle.
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ClaimEvery = TimeSpan.FromSeconds(15);

    private readonly string _consumer = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";
    private readonly RedisKey _stream = WorkStreams.StreamFor(kind);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var slots = new SemaphoreSlim(options.Value.Concurrency);
        var running = new HashSet<Task>();
        var lastClaim = DateTimeOffset.MinValue;
        var groupReady = false;
        var redisWasDown = false;

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

                var free = slots.CurrentCount;
                if (free == 0)
                {
                    await Task.WhenAny(running.Append(Task.Delay(IdlePoll, stoppingToken)));
                    running.RemoveWhere(t => t.IsCompleted);
                    continue;
                }

                var entries = await database.StreamReadGroupAsync(_stream, WorkStreams.ConsumerGroup, _consumer, ">", count: free);
                if (entries.Length == 0 && DateTimeOffset.UtcNow - lastClaim > ClaimEvery)
                {
                    // Entries a stalled or dead consumer took and never acknowledged.
                    lastClaim = DateTimeOffset.UtcNow;
                    var claimed = await database.StreamAutoClaimAsync(_stream, WorkStreams.ConsumerGroup, _consumer,
                        (long)options.Value.ClaimIdle.TotalMilliseconds, "0-0", free);
                    entries = claimed.ClaimedEntries;
                }

                if (entries.Length == 0)
                {
                    await Task.Delay(IdlePoll, stoppingToken);
                    continue;
                }

                foreach (var entry in entries)
                {
                    await slots.WaitAsync(stoppingToken);
                    running.Add(RunEntryAsync(database, entry, slots, stoppingToken));
                }

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
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }

        await Task.WhenAll(running);
    }

    private async Task RunEntryAsync(IDatabase database, StreamEntry entry, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            if (Guid.TryParse(entry[WorkStreams.IdField].ToString(), out var id))
            {
                await runner.RunAsync(kind, id, stoppingToken);
            }

            await database.StreamAcknowledgeAsync(_stream, WorkStreams.ConsumerGroup, entry.Id);
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
            slots.Release();
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} stream entry not finished ({Reason}); it will be claimed again")]
    private static partial void LogEntryFailed(ILogger logger, WorkKind kind, string reason);
}
