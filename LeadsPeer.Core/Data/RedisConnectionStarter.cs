using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace LeadsPeer.Core.Data;

/// <summary>
/// Creates the Redis connection when the host starts, not inside the first request that needs it:
/// creating it waits for the first connect attempt (up to its connect timeout while Redis is down),
/// and a webhook's 200 must not wait for that.
/// </summary>
internal sealed class RedisConnectionStarter(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<IConnectionMultiplexer>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
