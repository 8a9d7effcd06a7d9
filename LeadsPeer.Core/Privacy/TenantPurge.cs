using System.Diagnostics.Metrics;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Security;
using LeadsPeer.Core.Tenancy;
using LeadsPeer.Core.WhatsApp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LeadsPeer.Core.Privacy;

/// <summary>
/// Deletes every row of each organisation whose closure's grace period has ended. The tables are
/// found from the schema — every table with a <c>tenant_id</c> column, children before the tables
/// they point at — so a table added later is purged without anyone remembering it. Each table goes
/// in small batches and the organisation row last, so a purge cut short by a crash resumes on the
/// next run and finishes. Its numbers are removed first as the business would remove them
/// (unsubscribed from Meta, tokens and PINs deleted); its people who belong to no other
/// organisation are deleted with it.
/// </summary>
public sealed partial class TenantPurge(NpgsqlDataSource dataSource, IServiceScopeFactory scopes, ILogger<TenantPurge> logger)
{
    private const int BatchSize = 2000;

    private static readonly Counter<int> Purged =
        CoreTelemetry.Meter.CreateCounter<int>("leadspeer.privacy.organizations_purged", description: "Closed organisations whose data was deleted.");

    /// <summary>Purges every organisation due at <paramref name="asOf"/>; returns how many.</summary>
    public async Task<int> RunAsync(DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var due = new List<Guid>();
        await using (var command = dataSource.CreateCommand("SELECT id FROM organizations WHERE purge_at <= $1 ORDER BY purge_at"))
        {
            command.Parameters.AddWithValue(asOf);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                due.Add(reader.GetGuid(0));
            }
        }

        var purged = 0;
        foreach (var tenantId in due)
        {
            if (await PurgeAsync(tenantId, asOf, cancellationToken))
            {
                purged++;
                Purged.Add(1);
                LogPurged(logger, tenantId);
            }
        }

        return purged;
    }

    /// <summary>False when another Worker is purging the organisation right now (it finishes it), or already did.</summary>
    private async Task<bool> PurgeAsync(Guid tenantId, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One purge per organisation at a time, held for the session: every Worker looks each minute.
        await using (var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended('purge:' || $1::text, 0))", connection))
        {
            command.Parameters.AddWithValue(tenantId);
            if (await command.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return false;
            }
        }

        try
        {
            // Under the lock, still due: not finished by another Worker meanwhile (a closure cannot be cancelled once due).
            await using var due = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM organizations WHERE id = $1 AND purge_at <= $2)", connection);
            due.Parameters.AddWithValue(tenantId);
            due.Parameters.AddWithValue(asOf);
            if (await due.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return false;
            }

            await DeleteEverythingAsync(connection, tenantId, cancellationToken);
            return true;
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended('purge:' || $1::text, 0))", connection);
            unlock.Parameters.AddWithValue(tenantId);
            await unlock.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    private async Task DeleteEverythingAsync(NpgsqlConnection connection, Guid tenantId, CancellationToken cancellationToken)
    {
        await RemoveConnectionsAsync(tenantId, cancellationToken);

        // People of this organisation only; their memberships, tokens and logins go with them.
        await ExecuteAsync(connection, """
            DELETE FROM users u
            WHERE EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.tenant_id = $1)
              AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.tenant_id <> $1)
            """, tenantId, cancellationToken);

        foreach (var table in await TenantTablesAsync(connection, cancellationToken))
        {
            // Quoted from the catalog, never from input.
            var sql = $"DELETE FROM \"{table}\" WHERE ctid IN (SELECT ctid FROM \"{table}\" WHERE tenant_id = $1 LIMIT {BatchSize})";
            while (await ExecuteAsync(connection, sql, tenantId, cancellationToken) > 0)
            {
            }
        }

        await ExecuteAsync(connection, "DELETE FROM organizations WHERE id = $1", tenantId, cancellationToken);
    }

    /// <summary>Every table with a <c>tenant_id</c> column (partitioned ones once, not each partition), ordered so that a table comes before every table it references.</summary>
    public static async Task<IReadOnlyList<string>> TenantTablesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var tables = new List<string>();
        await using (var command = new NpgsqlCommand("""
            SELECT c.table_name FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
            JOIN pg_class k ON k.relname = c.table_name AND k.relnamespace = current_schema()::regnamespace
            -- A partition's rows are its parent's (knowledge_chunks is partitioned by tenant).
            WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id' AND NOT k.relispartition
            ORDER BY c.table_name
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                tables.Add(reader.GetString(0));
            }
        }

        var references = new List<(string From, string To)>();
        await using (var command = new NpgsqlCommand("""
            SELECT f.relname, p.relname FROM pg_constraint k
            JOIN pg_class f ON f.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
            WHERE k.contype = 'f' AND f.relnamespace = current_schema()::regnamespace AND f.oid <> p.oid
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                references.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        // Children first: a table is deleted from once no remaining table references it.
        var ordered = new List<string>();
        var left = new HashSet<string>(tables);
        while (left.Count > 0)
        {
            var next = left.Where(t => !references.Any(r => r.To == t && left.Contains(r.From))).Order(StringComparer.Ordinal).FirstOrDefault()
                ?? throw new InvalidOperationException("The tenant tables reference each other in a cycle; the purge cannot order them.");
            ordered.Add(next);
            left.Remove(next);
        }

        return ordered;
    }

    /// <summary>Each number as its business would remove it: unsubscribed from Meta, its token and PIN deleted.</summary>
    private async Task RemoveConnectionsAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenantId);
        var db = scope.ServiceProvider.GetRequiredService<LeadsPeerDbContext>();
        var lifecycle = scope.ServiceProvider.GetRequiredService<ConnectionLifecycle>();
        var graph = scope.ServiceProvider.GetRequiredService<GraphApiClient>();
        var protector = scope.ServiceProvider.GetRequiredService<TokenProtector>();
        foreach (var connection in await db.WhatsAppConnections.Where(c => c.Status != WhatsAppConnectionStatus.Removed).ToListAsync(cancellationToken))
        {
            lifecycle.Remove(connection, await ConnectionService.UnsubscribeAsync(connection, graph, protector, logger, cancellationToken));
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, Guid tenantId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(tenantId);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Organisation {TenantId} purged: its closure's grace period ended")]
    private static partial void LogPurged(ILogger logger, Guid tenantId);
}
