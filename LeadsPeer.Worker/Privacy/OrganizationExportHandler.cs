using System.IO.Compression;
using System.Text;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Privacy;
using LeadsPeer.Core.Work;
using LeadsPeer.Worker.Work;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LeadsPeer.Worker.Privacy;

/// <summary>
/// Builds an organisation's export: one JSON file per table that holds the organisation's rows —
/// found from the schema, so a later feature's table is exported without anyone remembering it —
/// plus the organisation and its members (never password hashes). Secrets and derived bytes are
/// withheld and the README inside says which and why.
/// </summary>
public sealed class OrganizationExportHandler(LeadsPeerDbContext db, NpgsqlDataSource dataSource, OrganizationExports exports) : IWorkHandler
{
    /// <summary>Columns left out of a table's file: secrets, and bytes that are derived or too large to be useful as JSON.</summary>
    private static readonly Dictionary<string, string[]> Withheld = new()
    {
        ["whats_app_connections"] = ["encrypted_access_token", "encrypted_pin", "token_key_id"],
        ["knowledge_chunks"] = ["embedding"],
        ["knowledge_documents"] = ["raw_content"],
        ["media_files"] = ["content"],
        ["invitations"] = ["token_hash"],
        ["booking_staff"] = ["feed_token_hash"],
    };

    /// <summary>Tables not exported, and why.</summary>
    private static readonly Dictionary<string, string> Skipped = new()
    {
        ["memberships"] = "in members.json, with each member's email and name",
        ["organization_exports"] = "the exports themselves",
        ["idempotency_keys"] = "kept API answers, a technical copy of what the other files hold",
        ["work_items"] = "the product's internal work queue",
        ["parked_statuses"] = "delivery statuses waiting for their message, internal",
    };

    public WorkKind Kind => WorkKind.ExportOrganization;

    public async Task<WorkResult> HandleAsync(WorkLease lease, CancellationToken cancellationToken)
    {
        var export = await db.OrganizationExports.AsNoTracking().SingleOrDefaultAsync(e => e.Id == lease.SubjectId, cancellationToken);
        if (export is null || !await exports.StartAsync(export.Id, cancellationToken))
        {
            return WorkResult.Done;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var tables = (await TenantPurge.TenantTablesAsync(connection, cancellationToken)).Where(t => !Skipped.ContainsKey(t)).Order(StringComparer.Ordinal).ToList();
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            await WriteAsync(zip, "organization.json", await JsonAsync(connection,
                "SELECT to_jsonb(o)::text FROM organizations o WHERE o.id = $1", export.TenantId, cancellationToken));
            await WriteAsync(zip, "members.json", await JsonAsync(connection, """
                SELECT coalesce(jsonb_agg(jsonb_build_object('userId', u.id, 'email', u.email, 'displayName', u.display_name,
                    'role', m.role, 'memberSince', m.created_at) ORDER BY m.created_at), '[]'::jsonb)::text
                FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.tenant_id = $1
                """, export.TenantId, cancellationToken));
            for (var i = 0; i < tables.Count; i++)
            {
                var withheld = Withheld.GetValueOrDefault(tables[i], []);
                // The table name comes from the catalog, never from input.
                await WriteAsync(zip, $"{tables[i]}.json", await JsonAsync(connection,
                    $"SELECT coalesce(jsonb_agg(to_jsonb(t) - $2::text[]), '[]'::jsonb)::text FROM \"{tables[i]}\" t WHERE t.tenant_id = $1",
                    export.TenantId, cancellationToken, withheld));
                await exports.ProgressAsync(export, (i + 1) * 95 / tables.Count, cancellationToken);
            }

            await WriteAsync(zip, "README.txt", Readme(export, tables));
        }

        await exports.CompleteAsync(export, buffer.ToArray(), cancellationToken);
        return WorkResult.Done;
    }

    public async Task GiveUpAsync(WorkLease lease, string reason, CancellationToken cancellationToken)
    {
        if (await db.OrganizationExports.AsNoTracking().SingleOrDefaultAsync(e => e.Id == lease.SubjectId, cancellationToken) is { } export)
        {
            await exports.FailAsync(export, "The export could not be built. Request it again; if it keeps failing, contact support.", cancellationToken);
        }
    }

    private static async Task<string> JsonAsync(NpgsqlConnection connection, string sql, Guid tenantId, CancellationToken cancellationToken, string[]? withheld = null)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(tenantId);
        if (withheld is not null)
        {
            command.Parameters.AddWithValue(withheld);
        }

        return (string?)await command.ExecuteScalarAsync(cancellationToken) ?? "null";
    }

    private static async Task WriteAsync(ZipArchive zip, string name, string content)
    {
        await using var entry = await zip.CreateEntry(name, CompressionLevel.Optimal).OpenAsync();
        await entry.WriteAsync(Encoding.UTF8.GetBytes(content));
    }

    private static string Readme(OrganizationExport export, IReadOnlyList<string> tables)
    {
        var text = new StringBuilder()
            .AppendLine("Leads Peer organisation export")
            .AppendLine($"Requested {export.CreatedAt:u}. One JSON file per table, each an array of rows.")
            .AppendLine()
            .AppendLine("Files: organization.json, members.json, " + string.Join(", ", tables.Select(t => t + ".json")))
            .AppendLine()
            .AppendLine("Left out of the files:");
        foreach (var (table, columns) in Withheld)
        {
            text.AppendLine($"- {table}: {string.Join(", ", columns)} (secrets, or bytes derived from what is exported)");
        }

        foreach (var (table, why) in Skipped)
        {
            text.AppendLine($"- {table}: {why}");
        }

        return text.ToString();
    }
}
