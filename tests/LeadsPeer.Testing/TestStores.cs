using LeadsPeer.Core.Data;
using LeadsPeer.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit;

namespace LeadsPeer.Testing;

/// <summary>
/// One PostgreSQL and one Redis server for a whole test assembly (an xunit assembly fixture),
/// and a fresh database for each test class that asks: migrated ones are cloned from a
/// template migrated once, so isolation costs milliseconds, not a migration per class.
/// </summary>
public sealed class TestStores : IAsyncLifetime
{
    private const string TemplateDatabase = "leadspeer_template";
    private readonly SemaphoreSlim _templateLock = new(1, 1);
    private bool _templateReady;

    public PostgresServer Postgres { get; private set; } = null!;
    public RedisServer Redis { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var postgres = PostgresServer.StartNewAsync();
        var redis = RedisServer.StartNewAsync();
        Postgres = await postgres;
        Redis = await redis;
    }

    /// <summary>A new, empty database (no schema). Returns its connection string.</summary>
    public async Task<string> CreateEmptyDatabaseAsync()
    {
        var name = NewDatabaseName();
        await Postgres.ExecuteAsync($"CREATE DATABASE {name}");
        return Postgres.ConnectionString(name);
    }

    /// <summary>A new database with every migration applied. Returns its connection string.</summary>
    public async Task<string> CreateMigratedDatabaseAsync()
    {
        await EnsureTemplateAsync();
        var name = NewDatabaseName();
        await Postgres.ExecuteAsync($"CREATE DATABASE {name} TEMPLATE {TemplateDatabase}");
        return Postgres.ConnectionString(name);
    }

    /// <summary>A context on <paramref name="connectionString"/> acting for <paramref name="tenantId"/> (none when null).</summary>
    public static LeadsPeerDbContext CreateDbContext(string connectionString, Guid? tenantId = null)
    {
        var tenant = new TenantContext();
        if (tenantId is { } id)
        {
            tenant.Set(id);
        }

        var options = new DbContextOptionsBuilder<LeadsPeerDbContext>();
        DataExtensions.ConfigureDbContext(options, DataExtensions.BuildDataSource(connectionString));
        return new LeadsPeerDbContext(options.Options, tenant);
    }

    public static async Task MigrateAsync(string connectionString)
    {
        await using var db = CreateDbContext(connectionString);
        await new DatabaseMigrator(db, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
    }

    private async Task EnsureTemplateAsync()
    {
        await _templateLock.WaitAsync();
        try
        {
            if (_templateReady)
            {
                return;
            }

            var connectionString = Postgres.ConnectionString(TemplateDatabase) + ";Pooling=false";
            await MigrateAsync(connectionString);
            // CREATE DATABASE … TEMPLATE needs the template to have no open connections.
            NpgsqlConnection.ClearAllPools();
            _templateReady = true;
        }
        finally
        {
            _templateLock.Release();
        }
    }

    private static string NewDatabaseName() => $"test_{Guid.NewGuid():N}";

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await Postgres.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
