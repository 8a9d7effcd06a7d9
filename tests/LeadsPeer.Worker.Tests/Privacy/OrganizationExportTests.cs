using System.IO.Compression;
using System.Text.Json;
using LeadsPeer.Core.Work;
using LeadsPeer.Testing;
using LeadsPeer.Worker.Tests.Channel;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsPeer.Worker.Tests.Privacy;

/// <summary>
/// An organisation export built by the real Worker: a ZIP with one JSON file per table that holds
/// the organisation's rows (found from the schema), the customer's messages in it, and the
/// number's encrypted token left out.
/// </summary>
public sealed class OrganizationExportTests(TestStores stores)
{
    [Fact]
    public async Task The_Worker_builds_a_zip_with_a_file_per_tenant_table_and_no_secrets()
    {
        await using var channel = await ChannelHarness.CreateAsync(stores);
        await channel.DeliverTextAsync("Do you deliver to Model Town?");
        var exportId = Guid.CreateVersion7();
        await channel.Db.ExecuteAsync("INSERT INTO organization_exports (id, tenant_id, state, progress, size, created_at) VALUES ($1, $2, 'Pending', 0, 0, now())",
            exportId, channel.TenantId);
        var work = channel.Services.GetRequiredService<WorkRows>();
        var workId = await work.ArmAsync(WorkRequest.ExportOrganization(channel.TenantId, exportId, DateTimeOffset.UtcNow), TestContext.Current.CancellationToken);
        await channel.Services.GetRequiredService<WorkStreams>().DispatchAsync(WorkKind.ExportOrganization, workId!.Value);

        await channel.StartWorkerAsync();
        await channel.EventuallyAsync(async () => await channel.Db.CountAsync("organization_exports", "state = 'Ready'") == 1, "the export is ready");

        var content = await channel.Db.ScalarAsync<byte[]>("SELECT content FROM organization_exports");
        Assert.Equal(content.LongLength, await channel.Db.ScalarAsync<long>("SELECT size FROM organization_exports"));
        using var zip = new ZipArchive(new MemoryStream(content));
        var files = zip.Entries.Select(e => e.FullName).ToHashSet();
        var tenantTables = (await channel.Db.RowsAsync("""
            SELECT c.table_name FROM information_schema.columns c JOIN pg_class k ON k.relname = c.table_name AND k.relnamespace = current_schema()::regnamespace
            WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id' AND NOT k.relispartition
              AND c.table_name NOT IN ('memberships', 'organization_exports', 'idempotency_keys', 'work_items', 'parked_statuses')
            """)).Select(r => (string)r[0]!).ToList();
        Assert.All(tenantTables, t => Assert.Contains(t + ".json", files));
        // Each table once: a partitioned table's partitions are not files of their own.
        Assert.Equal(tenantTables.Count + 3, files.Count);
        Assert.Contains("members.json", files);
        var messages = JsonDocument.Parse(Read(zip, "messages.json")).RootElement;
        Assert.Contains(messages.EnumerateArray(), m => m.GetProperty("text").GetString() == "Do you deliver to Model Town?");
        var connections = Read(zip, "whats_app_connections.json");
        Assert.Contains(channel.PhoneNumberId, connections);
        Assert.DoesNotContain("encrypted_access_token", connections);
        Assert.Contains(ChannelHarness.Customer, Read(zip, "contacts.json"));
        Assert.Contains("encrypted_access_token", Read(zip, "README.txt"));
    }

    private static string Read(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }
}
