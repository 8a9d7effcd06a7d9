using LeadsPeer.Core.Data;
using Npgsql;

namespace LeadsPeer.Api.Database;

/// <summary>
/// Applies the database migrations once the database can be reached. It retries quietly
/// (one line per attempt, no stack traces) instead of crashing the host, so an unreachable
/// database shows up as an unhealthy <c>/health</c> with its reason, not a crash loop.
/// </summary>
internal sealed class MigrationProcessor(
    IServiceScopeFactory scopes,
    MigrationStatus status,
    ILogger<MigrationProcessor> logger) : BackgroundService
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(stoppingToken);
                status.MarkApplied();
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                var reason = StoreErrors.OneLine(ex);
                status.MarkWaiting(reason);
                logger.LogWarning("Database not reachable yet, migrations wait ({Reason}); retrying in {Delay:0.#} s", reason, delay.TotalSeconds);
            }

            await Task.Delay(delay, stoppingToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }
}
