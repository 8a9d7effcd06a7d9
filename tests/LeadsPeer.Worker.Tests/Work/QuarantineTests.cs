using LeadsPeer.Core.Work;
using LeadsPeer.Testing;
using LeadsPeer.Worker.Tests.Knowledge;
using LeadsPeer.Worker.Work;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsPeer.Worker.Tests.Work;

/// <summary>
/// Work whose every run stopped the Worker (a file that exhausts memory, say) is counted when
/// taken, so it reaches the limit and is quarantined instead of being retried for ever and
/// holding a consumer slot for every tenant; a document then fails with its bytes purged.
/// </summary>
public sealed class QuarantineTests(TestStores stores) : IAsyncLifetime
{
    private KnowledgeHarness _knowledge = null!;

    public async ValueTask InitializeAsync() => _knowledge = await KnowledgeHarness.CreateAsync(stores);

    [Theory]
    [InlineData(0, "Indexed", "Done")]
    [InlineData(5, "Indexed", "Done")]
    [InlineData(6, "Failed", "Failed")]
    public async Task A_document_whose_earlier_runs_all_stopped_the_worker_is_quarantined_at_the_limit(int unfinishedRuns, string documentState, string workState)
    {
        var tenant = await _knowledge.AddTenantAsync();
        var document = await _knowledge.AddFileAsync(tenant, "manual.pdf", TestDocuments.Pdf("Care and storage. " + TestDocuments.StorageAnswer));
        var work = Guid.CreateVersion7();
        // As the rows look after that many runs were taken and their process died: running, lease expired.
        await _knowledge.Db.ExecuteAsync("""
            INSERT INTO work_items (id, tenant_id, kind, subject_id, dedupe_key, state, attempts, generation, due_at, lease_until, lease_token, created_at, updated_at)
            VALUES ($1, $2, 'IndexDocument', $3, 'index:' || $3, 'Running', $4, 0, now() - interval '5 minutes', now() - interval '1 minute', gen_random_uuid(), now(), now())
            """, work, tenant, document, unfinishedRuns);

        await _knowledge.Host.Services.GetRequiredService<WorkRunner>().RunAsync(WorkKind.IndexDocument, work, TestContext.Current.CancellationToken);

        var row = Assert.Single(await _knowledge.Db.RowsAsync("SELECT state, raw_content IS NULL FROM knowledge_documents"));
        Assert.Equal([documentState, true], row);
        Assert.Equal(workState, await _knowledge.Db.ScalarAsync<string>("SELECT state FROM work_items WHERE id = $1", work));
        if (documentState == "Failed")
        {
            Assert.Contains("stopped before it finished", await _knowledge.Db.ScalarAsync<string>("SELECT failure_reason FROM knowledge_documents"));
            Assert.Contains("never finished", await _knowledge.Db.ScalarAsync<string>("SELECT last_error FROM work_items WHERE id = $1", work));
            Assert.Equal(0, await _knowledge.Db.CountAsync("knowledge_chunks"));
        }
    }

    public async ValueTask DisposeAsync() => await _knowledge.DisposeAsync();
}
