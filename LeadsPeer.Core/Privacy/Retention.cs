using System.Diagnostics.Metrics;
using LeadsPeer.Core.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LeadsPeer.Core.Privacy;

/// <summary>
/// Deletes what we keep for a limited time once its time is up (<see cref="PrivacyOptions"/>), and
/// the conversations of organisations that set a retention of their own. Each job deletes in
/// small batches, one statement each (Workers can run it side by side), and reports what it did
/// as a metric tagged with the job — never a log line with personal data.
/// </summary>
public sealed class Retention(NpgsqlDataSource dataSource, IServiceScopeFactory scopes, IOptions<PrivacyOptions> options)
{
    private const int BatchSize = 1000;

    /// <summary>At most this many batches per job per run, so one run never holds a Worker for long; the next run goes on.</summary>
    private const int MaxBatches = 20;

    private static readonly Counter<long> Deleted =
        CoreTelemetry.Meter.CreateCounter<long>("leadspeer.retention.deleted", description: "Rows deleted (or, for audit addresses, truncated) by retention, by job.");

    /// <summary>Runs every job as of <paramref name="now"/>; returns how many rows each touched.</summary>
    public async Task<IReadOnlyDictionary<string, long>> RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var jobs = new (string Job, string Sql, DateTimeOffset Before)[]
        {
            ("media_files", "DELETE FROM media_files WHERE id IN (SELECT id FROM media_files WHERE created_at < $1 LIMIT $2)", now - settings.InboundMedia),
            ("parked_statuses", "DELETE FROM parked_statuses WHERE id IN (SELECT id FROM parked_statuses WHERE created_at < $1 LIMIT $2)", now - settings.ParkedStatuses),
            ("work_items", """
                DELETE FROM work_items WHERE id IN (SELECT id FROM work_items WHERE state IN ('Done', 'Failed') AND updated_at < $1 LIMIT $2)
                """, now - settings.FinishedWork),
            ("sandbox_messages", "DELETE FROM sandbox_messages WHERE id IN (SELECT id FROM sandbox_messages WHERE created_at < $1 LIMIT $2)", now - settings.SandboxMessages),
            // The address keeps its network only (203.0.113.0/24): enough to see where a team works from, no longer one person's.
            ("audit_ip_addresses", """
                UPDATE audit_entries SET ip_address = network(set_masklen(ip_address::inet, CASE family(ip_address::inet) WHEN 4 THEN 24 ELSE 48 END))::text
                WHERE id IN (SELECT id FROM audit_entries WHERE created_at < $1 AND ip_address IS NOT NULL AND position('/' IN ip_address) = 0 LIMIT $2)
                """, now - settings.AuditIpAddresses),
            ("export_files", """
                UPDATE organization_exports SET content = NULL, state = 'Expired'
                WHERE id IN (SELECT id FROM organization_exports WHERE state = 'Ready' AND expires_at < $1 LIMIT $2)
                """, now),
            ("erased_messages", "DELETE FROM erased_messages WHERE hash IN (SELECT hash FROM erased_messages WHERE expires_at < $1 LIMIT $2)", now),
            ("erased_customers", "DELETE FROM erased_customers WHERE hash IN (SELECT hash FROM erased_customers WHERE expires_at < $1 LIMIT $2)", now),
        };

        var touched = new Dictionary<string, long>();
        foreach (var (job, sql, before) in jobs)
        {
            long total = 0;
            for (var batch = 0; batch < MaxBatches; batch++)
            {
                await using var command = dataSource.CreateCommand(sql);
                command.Parameters.AddWithValue(before);
                command.Parameters.AddWithValue(BatchSize);
                var rows = await command.ExecuteNonQueryAsync(cancellationToken);
                total += rows;
                if (rows < BatchSize)
                {
                    break;
                }
            }

            Record(touched, job, total);
        }

        Record(touched, "conversations", await ExpireConversationsAsync(now, cancellationToken));
        return touched;
    }

    /// <summary>
    /// Conversations whose last message is older than their organisation's retention go the way an
    /// erased customer goes (one conversation per customer and number, so the customer with it).
    /// </summary>
    private async Task<long> ExpireConversationsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = new List<(Guid TenantId, Guid ContactId)>();
        await using (var command = dataSource.CreateCommand("""
            SELECT v.tenant_id, v.contact_id FROM conversations v JOIN organizations o ON o.id = v.tenant_id
            WHERE o.conversation_retention_months IS NOT NULL AND o.closure_requested_at IS NULL
              AND coalesce(v.last_message_at, v.created_at) < $1 - make_interval(months => o.conversation_retention_months)
            LIMIT $2
            """))
        {
            command.Parameters.AddWithValue(now);
            command.Parameters.AddWithValue(BatchSize / 10);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                due.Add((reader.GetGuid(0), reader.GetGuid(1)));
            }
        }

        foreach (var (tenantId, contactId) in due)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenantId);
            await scope.ServiceProvider.GetRequiredService<CustomerErasure>().ExpireAsync(contactId, cancellationToken);
        }

        return due.Count;
    }

    private static void Record(Dictionary<string, long> touched, string job, long rows)
    {
        touched[job] = rows;
        if (rows > 0)
        {
            Deleted.Add(rows, new KeyValuePair<string, object?>("job", job));
        }
    }
}
