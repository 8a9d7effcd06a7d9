using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LeadsPeer.Core.Data;

/// <summary>
/// Brings the database to the newest migration. Replicas may start together: a PostgreSQL
/// advisory lock makes them take turns, and whoever comes second finds nothing to do.
/// </summary>
public sealed class DatabaseMigrator(LeadsPeerDbContext db, ILogger<DatabaseMigrator> logger)
{
    // An arbitrary, fixed key that only Leads Peer's migrator uses ("LeadsPeer" in ASCII, truncated).
    private const long AdvisoryLockKey = 0x4C656164735065;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        using var activity = CoreTelemetry.Source.StartActivity("Migrate database");
        await EnsureDatabaseExistsAsync(cancellationToken);

        // The lock is held by the session, so the migration must run on this same open connection.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
            try
            {
                // EF Core reads the history table before creating it and logs that as a failed
                // command on every new database; creating it first keeps a first start's log clean.
                await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
                var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
                if (pending.Count == 0)
                {
                    logger.LogInformation("Database schema is up to date");
                    return;
                }

                logger.LogInformation("Applying {Count} migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
                await db.Database.MigrateAsync(cancellationToken);
                CoreTelemetry.MigrationsApplied.Add(pending.Count);
                activity?.SetTag("leadspeer.migrations.applied", pending.Count);

                // Types created by a migration (pgvector's "vector") are unknown to connections
                // that opened before it; reload so this process can use them at once.
                if (db.Database.GetDbConnection() is NpgsqlConnection connection)
                {
                    await connection.ReloadTypesAsync(cancellationToken);
                }
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task EnsureDatabaseExistsAsync(CancellationToken cancellationToken)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(cancellationToken))
        {
            return;
        }

        try
        {
            logger.LogInformation("Creating the database");
            await creator.CreateAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another replica created it first.
        }

        // The pool may hold a connection attempt that failed for the missing database.
        if (db.Database.GetDbConnection() is NpgsqlConnection { State: ConnectionState.Closed } connection)
        {
            NpgsqlConnection.ClearPool(connection);
        }
    }
}
