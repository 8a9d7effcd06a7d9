using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LeadsPeer.Api.Database;

/// <summary>The Api is ready only once the schema is migrated; the AppHost starts Worker and Web after that.</summary>
internal sealed class MigrationHealthCheck(MigrationStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(status.Applied
            ? HealthCheckResult.Healthy("Schema is up to date.")
            : HealthCheckResult.Unhealthy($"Migrations pending: {status.Reason}"));
}
