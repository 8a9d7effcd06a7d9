using LeadsPeer.Core.Tenancy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace LeadsPeer.Core.Data;

/// <summary>
/// What the stores are called where the host runs: its connection strings' names (the AppHost's
/// resource names) and the health tag of readiness checks. The host passes them in, so Core
/// knows no host and no hosting project.
/// </summary>
public sealed record StoreNames(string Database, string Redis, string ReadinessTag);

public static class DataExtensions
{
    /// <summary>
    /// PostgreSQL (the source of truth) and Redis (dispatch and live events) for a host:
    /// the <see cref="LeadsPeerDbContext"/>, the tenant scope, the Redis connection, Data
    /// Protection keys in PostgreSQL, and the readiness checks of both stores.
    /// </summary>
    public static IHostApplicationBuilder AddLeadsPeerData(this IHostApplicationBuilder builder, StoreNames stores)
    {
        var connectionString = builder.Configuration.GetConnectionString(stores.Database)
            ?? throw new InvalidOperationException(
                $"ConnectionStrings:{stores.Database} is required (environment variable ConnectionStrings__{stores.Database}).");

        // One data source per process: the pool, and the pgvector type mapping, live here.
        builder.Services.AddSingleton(_ => BuildDataSource(connectionString));
        builder.Services.AddScoped<TenantContext>();
        builder.Services.AddDbContext<LeadsPeerDbContext>((services, options) =>
            ConfigureDbContext(options, services.GetRequiredService<NpgsqlDataSource>()));

        builder.AddRedisClient(
            stores.Redis,
            // Our own check below reports Redis as Degraded, not Unhealthy: webhooks must still
            // be stored while Redis is down.
            settings => settings.DisableHealthChecks = true,
            options =>
            {
                // Start and keep running without Redis; the multiplexer reconnects by itself.
                options.AbortOnConnectFail = false;
                options.ConnectTimeout = 3000;
                // While Redis is away, fail at once instead of queueing: dispatch and live events
                // are hints the sweeper and the next read make up for, and must not slow a webhook.
                options.BacklogPolicy = BacklogPolicy.FailFast;
                // A hung Redis answers nothing: give up on a command soon, as if it had refused.
                options.AsyncTimeout = options.SyncTimeout = (int)RedisOutage.CommandTimeout.TotalMilliseconds;
            });
        builder.Services.AddHostedService<RedisConnectionStarter>();

        // Cookies and tokens must survive restarts and work on every replica; the keys are
        // stored encrypted, so the database alone cannot mint them.
        builder.Services.AddDataProtection()
            .SetApplicationName("LeadsPeer")
            .PersistKeysToDbContext<LeadsPeerDbContext>();
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>, Security.KeyRingEncryption>();

        builder.Services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", HealthStatus.Unhealthy, [stores.ReadinessTag])
            .AddCheck<RedisHealthCheck>("redis", HealthStatus.Degraded, [stores.ReadinessTag]);

        return builder;
    }

    internal static NpgsqlDataSource BuildDataSource(string connectionString)
    {
        var dataSource = new NpgsqlDataSourceBuilder(connectionString);
        // Hot statements (webhook ingest, work transitions) are prepared once per connection, so
        // PostgreSQL parses and plans them once instead of on every webhook.
        if (dataSource.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            dataSource.ConnectionStringBuilder.MaxAutoPrepare = 64;
            dataSource.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        }

        dataSource.UseVector();
        return dataSource.Build();
    }

    internal static void ConfigureDbContext(DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        options.UseNpgsql(dataSource, npgsql => npgsql.UseVector()).UseSnakeCaseNamingConvention();

    internal static void ConfigureDbContext(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql.UseVector()).UseSnakeCaseNamingConvention();
}
