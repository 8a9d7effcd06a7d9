using LeadsPeer.Core.Data;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LeadsPeer.Core.Work;

/// <summary>
/// Tells Workers that a work row (<see cref="WorkRows"/>) is ready: one Redis stream per kind,
/// read by a consumer group so any number of Worker replicas share it. Dispatching is a hint, not
/// the truth — when Redis is down or loses the entry, the sweeper dispatches the row again from
/// PostgreSQL.
/// </summary>
public sealed partial class WorkStreams(IConnectionMultiplexer redis, ILogger<WorkStreams> logger)
{
    public const string ConsumerGroup = "workers";
    public const string IdField = "id";

    // Enough history for stalled consumers to be found; trimmed approximately, which is cheap.
    private const int MaxStreamLength = 100_000;

    public static RedisKey StreamFor(WorkKind kind) => $"leadspeer:work:{kind.ToString().ToLowerInvariant()}";

    public async Task DispatchAsync(WorkKind kind, Guid workId) => await DispatchAsync([(kind, workId)]);

    public async Task DispatchAsync(IEnumerable<(WorkKind Kind, Guid Id)> work)
    {
        try
        {
            var database = redis.GetDatabase();
            var adds = work.Distinct()
                .Select(w => database.StreamAddAsync(StreamFor(w.Kind), IdField, w.Id.ToString(), maxLength: MaxStreamLength, useApproximateMaxLength: true))
                .ToList();
            await Task.WhenAll(adds);
        }
        catch (Exception ex) when (RedisOutage.Is(ex))
        {
            LogDeferred(logger, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Work not dispatched ({Reason}); it is stored and the sweeper dispatches it once Redis answers")]
    private static partial void LogDeferred(ILogger logger, string reason);
}
