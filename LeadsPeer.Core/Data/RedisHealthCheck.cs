using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace LeadsPeer.Core.Data;

/// <summary>
/// Redis answers a ping. Registered as Degraded: without Redis, webhooks are still stored
/// and work flows once it is back (the sweeper re-dispatches), so the host stays in service.
/// </summary>
internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.IsConnected)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis unreachable: not connected; reconnecting.");
        }

        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
            return HealthCheckResult.Healthy($"Redis answers ({latency.TotalMilliseconds:0} ms).");
        }
        catch (Exception ex) when (RedisOutage.Is(ex))
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Redis unreachable: {StoreErrors.OneLine(ex)}");
        }
    }
}
