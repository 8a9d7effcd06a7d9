using LeadsPeer.Core.Data;
using Npgsql;

namespace LeadsPeer.Api.Database;

/// <summary>
/// Applies the database migrations once the database can be reached. While it cannot, this
/// waits and retries quietly (one line per attempt, no stack traces) instead of crashing the
/// host, so an unreachable database shows as an unhealthy <c>/health</c> with its reason, not a
/// crash loop. A migration that fails for any other reason stops the host: running on a
/// half-migrated schema would be worse.
/// </summary>
internal sealed class MigrationProcessor(
    IServiceScopeFactory scopes,
    NpgsqlDataSource dataSource,
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
                // A plain connection first: EF Core would log every failed attempt with its stack trace.
                await ProbeAsync(stoppingToken);
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(stoppingToken);
                status.MarkApplied();
                return;
            }
            catch (Exception ex) when (StoreErrors.IsUnreachable(ex) && !stoppingToken.IsCancellationRequested)
            {
                var reason = StoreErrors.OneLine(ex);
                status.MarkWaiting(reason);
                logger.LogWarning("Database not reachable yet, migrations wait ({Reason}); retrying in {Delay:0.#} s", reason, delay.TotalSeconds);
            }

            await Task.Delay(delay, stoppingToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }

    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            // The server answers but the database is not there yet: the migrator creates it.
        }
    }
}
