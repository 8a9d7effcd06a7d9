using LeadsPeer.Testing;
using LeadsPeer.Worker.Maintenance;
using LeadsPeer.Worker.Tests.Knowledge;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsPeer.Worker.Tests.Work;

/// <summary>
/// What nothing else comes back for: a document stranded before indexing finished (no work row
/// that could still finish it) is failed with its reason and its bytes purged, in every
/// organisation; a run still in progress, a fresh upload and an indexed file are left alone.
/// </summary>
public sealed class HousekeepingTests(TestStores stores) : IAsyncLifetime
{
    private KnowledgeHarness _knowledge = null!;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _knowledge = await KnowledgeHarness.CreateAsync(stores);

    [Fact]
    public async Task Stranded_documents_fail_with_their_reason_and_bytes_purged_and_live_or_recent_ones_are_left_alone()
    {
        var acme = await _knowledge.AddTenantAsync();
        var other = await _knowledge.AddTenantAsync("Bay Boots");
        var strandedUpload = await _knowledge.AddFileAsync(acme, "a.md", "# A\n\nAlpha."u8.ToArray());
        var strandedIndexing = await _knowledge.AddFileAsync(other, "b.md", "# B\n\nBravo."u8.ToArray());
        var stillRunning = await _knowledge.AddFileAsync(acme, "c.md", "# C\n\nCharlie."u8.ToArray());
        var recent = await _knowledge.AddFileAsync(acme, "d.md", "# D\n\nDelta."u8.ToArray());
        var indexed = await _knowledge.AddFileAsync(acme, "e.md", "# E\n\nEcho."u8.ToArray());
        await _knowledge.IndexAsync(acme, indexed);

        await _knowledge.Db.ExecuteAsync("UPDATE knowledge_documents SET updated_at = now() - interval '20 minutes' WHERE id <> $1", recent);
        await _knowledge.Db.ExecuteAsync("UPDATE knowledge_documents SET state = 'Indexing', progress = 40 WHERE id IN ($1, $2)", strandedIndexing, stillRunning);
        // The run of "c" is alive (its lease renewed); "b"'s run finished without it (its row Done).
        await _knowledge.Db.ExecuteAsync("""
            INSERT INTO work_items (id, tenant_id, kind, subject_id, dedupe_key, state, attempts, generation, due_at, lease_until, lease_token, created_at, updated_at)
            VALUES (gen_random_uuid(), $1, 'IndexDocument', $2, 'index:' || $2, 'Running', 1, 0, now(), now() + interval '1 minute', gen_random_uuid(), now(), now()),
                   (gen_random_uuid(), $3, 'IndexDocument', $4, 'index:' || $4, 'Done', 1, 0, now(), NULL, NULL, now(), now())
            """, acme, stillRunning, other, strandedIndexing);

        await _knowledge.Host.Services.GetRequiredService<Housekeeping>().RunOnceAsync(Ct);

        var states = (await _knowledge.Db.RowsAsync("SELECT id, state, raw_content IS NULL, failure_reason FROM knowledge_documents"))
            .ToDictionary(r => (Guid)r[0]!, r => (State: (string)r[1]!, Purged: (bool)r[2]!, Reason: r[3] as string));
        Assert.Equal(("Failed", true, Housekeeping.StuckReason), states[strandedUpload]);
        Assert.Equal(("Failed", true, Housekeeping.StuckReason), states[strandedIndexing]);
        Assert.Equal(("Indexing", false, (string?)null), states[stillRunning]);
        Assert.Equal(("Uploaded", false, (string?)null), states[recent]);
        Assert.Equal(("Indexed", true, (string?)null), states[indexed]);
        Assert.True(await _knowledge.Db.CountAsync("knowledge_chunks", "document_id = $1", indexed) > 0);
    }

    [Fact]
    public async Task Expired_idempotency_keys_are_purged_and_live_ones_kept()
    {
        var acme = await _knowledge.AddTenantAsync();
        await _knowledge.Db.ExecuteAsync("""
            INSERT INTO idempotency_keys (tenant_id, key, fingerprint, status_code, created_at, expires_at)
            VALUES ($1, 'old', 'f', 201, now() - interval '2 days', now() - interval '1 day'),
                   ($1, 'live', 'f', 201, now(), now() + interval '1 day')
            """, acme);

        await _knowledge.Host.Services.GetRequiredService<Housekeeping>().RunOnceAsync(Ct);

        Assert.Equal(["live"], (await _knowledge.Db.RowsAsync("SELECT key FROM idempotency_keys")).Select(r => (string)r[0]!));
    }

    public async ValueTask DisposeAsync() => await _knowledge.DisposeAsync();
}
