using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace LeadsPeer.Core.Data;

/// <summary>PostgreSQL answers a query. Without it nothing can be stored, so its failure is Unhealthy.</summary>
internal sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy("PostgreSQL answers.");
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            // One line, no stack trace: this is polled every few seconds while the database is away.
            return new HealthCheckResult(context.Registration.FailureStatus, $"PostgreSQL unreachable: {StoreErrors.OneLine(ex)}");
        }
    }
}
