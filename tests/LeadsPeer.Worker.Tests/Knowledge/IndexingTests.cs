using LeadsPeer.Core.Knowledge;
using LeadsPeer.Testing;
using LeadsPeer.Worker.Knowledge;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsPeer.Worker.Tests.Knowledge;

/// <summary>Indexing with the local model (all-MiniLM-L6-v2 in process) on a real database.</summary>
public sealed class IndexingTests(TestStores stores) : IAsyncLifetime
{
    private KnowledgeHarness _knowledge = null!;

    public async ValueTask InitializeAsync() => _knowledge = await KnowledgeHarness.CreateAsync(stores);

    [Fact]
    public async Task An_indexed_file_has_embedded_chunks_and_no_raw_bytes_left()
    {
        var tenant = await _knowledge.AddTenantAsync();
        var id = await _knowledge.AddFileAsync(tenant, "manual.pdf", TestDocuments.Pdf("Care and storage. " + TestDocuments.StorageAnswer, TestDocuments.WarrantyAnswer));

        await _knowledge.IndexAsync(tenant, id);

        var document = Assert.Single(await _knowledge.Db.RowsAsync("SELECT state, raw_content IS NULL, chunk_count, progress, embedding_model FROM knowledge_documents"));
        Assert.Equal(["Indexed", true, 2, 100, "all-MiniLM-L6-v2"], document);
        var chunks = await _knowledge.Db.RowsAsync("SELECT location, vector_dims(embedding), embedding_dimensions, embedding_model FROM knowledge_chunks ORDER BY ordinal");
        Assert.Equal([["page 1", 384, 384, "all-MiniLM-L6-v2"], ["page 2", 384, 384, "all-MiniLM-L6-v2"]], chunks);
    }

    [Fact]
    public async Task A_file_that_cannot_be_read_fails_with_its_reason_its_bytes_purged_and_no_chunk()
    {
        var tenant = await _knowledge.AddTenantAsync();
        var id = await _knowledge.AddFileAsync(tenant, "prices.pdf", TestDocuments.EncryptedPdf());

        await _knowledge.IndexAsync(tenant, id);

        var document = Assert.Single(await _knowledge.Db.RowsAsync("SELECT state, raw_content IS NULL, chunk_count FROM knowledge_documents"));
        Assert.Equal(["Failed", true, 0], document);
        Assert.Contains("password", await _knowledge.Db.ScalarAsync<string>("SELECT failure_reason FROM knowledge_documents"));
        Assert.Equal(0, await _knowledge.Db.CountAsync("knowledge_chunks"));
    }

    [Fact]
    public async Task A_document_of_a_type_nothing_reads_fails_at_once_and_is_purged()
    {
        var tenant = await _knowledge.AddTenantAsync();
        var id = await _knowledge.AddFileAsync(tenant, "notes.txt", TestDocuments.Utf8("Opening hours: 9 to 18."));
        await _knowledge.Db.ExecuteAsync("UPDATE knowledge_documents SET content_type = 'text/x-broken'");

        await _knowledge.IndexAsync(tenant, id);
        var afterFirst = await _knowledge.Db.ScalarAsync<string>("SELECT state FROM knowledge_documents");

        Assert.Equal("Failed", afterFirst);
        Assert.True(await _knowledge.Db.ScalarAsync<bool>("SELECT raw_content IS NULL FROM knowledge_documents"));
    }

    [Fact]
    public async Task An_faq_entry_is_one_chunk_that_carries_its_question()
    {
        var tenant = await _knowledge.AddTenantAsync();
        var id = await _knowledge.AddFaqAsync(tenant, "Do you ship abroad?", "Yes, we ship to every EU country within five working days.");

        await _knowledge.IndexAsync(tenant, id);

        Assert.Equal("Indexed", await _knowledge.Db.ScalarAsync<string>("SELECT state FROM knowledge_documents"));
        var content = await _knowledge.Db.ScalarAsync<string>("SELECT content FROM knowledge_chunks");
        Assert.Equal("Do you ship abroad?\nYes, we ship to every EU country within five working days.", content);
    }

    [Fact]
    public async Task Reindexing_re_embeds_the_stored_chunks_of_a_file_whose_bytes_are_gone()
    {
        var tenant = await _knowledge.AddTenantAsync();
        var id = await _knowledge.AddFileAsync(tenant, "guide.md", TestDocuments.Utf8("# Guide\n\n" + TestDocuments.WarrantyAnswer));
        await _knowledge.IndexAsync(tenant, id);
        var before = await _knowledge.Db.ScalarAsync<Guid>("SELECT id FROM knowledge_chunks");

        await _knowledge.IndexAsync(tenant, id);

        var after = Assert.Single(await _knowledge.Db.RowsAsync("SELECT id, content, location FROM knowledge_chunks"));
        Assert.NotEqual(before, after[0]); // replaced, in one transaction
        Assert.Equal(["Guide " + TestDocuments.WarrantyAnswer, "Guide"], after[1..]);
        Assert.Equal("Indexed", await _knowledge.Db.ScalarAsync<string>("SELECT state FROM knowledge_documents"));
    }

    public async ValueTask DisposeAsync() => await _knowledge.DisposeAsync();
}
