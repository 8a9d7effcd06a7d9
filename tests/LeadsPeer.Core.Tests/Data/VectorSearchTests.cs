using LeadsPeer.Core.Data;
using LeadsPeer.Core.Knowledge;
using LeadsPeer.Core.Tenancy;
using LeadsPeer.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Pgvector;
using Pgvector.EntityFrameworkCore;

namespace LeadsPeer.Core.Tests.Data;

public sealed class VectorSearchTests(TestStores stores)
{
    [Fact]
    public async Task The_vector_extension_and_the_hnsw_cosine_index_exist()
    {
        var connectionString = await stores.CreateMigratedDatabaseAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);

        var extension = await ScalarAsync(connection, "SELECT extversion FROM pg_extension WHERE extname = 'vector'");
        var index = await ScalarAsync(connection,
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'knowledge_chunks' AND indexdef LIKE '%USING hnsw%'");

        Assert.NotNull(extension);
        Assert.NotNull(index);
        Assert.Contains("vector_cosine_ops", (string)index);
    }

    [Fact]
    public async Task A_cosine_nearest_neighbour_query_from_linq_is_served_by_the_hnsw_index()
    {
        var connectionString = await stores.CreateMigratedDatabaseAsync();
        var tenantId = await SeedChunksAsync(connectionString, count: 10_000);
        var probe = RandomVector(new Random(7));

        await using var db = TestStores.CreateDbContext(connectionString, tenantId);
        var query = db.KnowledgeChunks
            .OrderBy(c => c.Embedding!.CosineDistance(probe))
            .Select(c => c.Id)
            .Take(5);
        var nearest = await query.ToListAsync(TestContext.Current.CancellationToken);

        // EF's translation of the query above, planned by PostgreSQL with its parameters.
        var sql = query.ToQueryString();
        Assert.Contains("<=>", sql);
        await using var dataSource = DataExtensions.BuildDataSource(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using (var analyze = new NpgsqlCommand("ANALYZE knowledge_chunks", connection))
        {
            await analyze.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var plan = await ExplainAsync(connection, tenantId, probe);
        Assert.Equal(5, nearest.Count);
        Assert.True(plan.Contains("ix_knowledge_chunks_embedding"), plan);
        Assert.DoesNotContain("Seq Scan", plan);
    }

    private static async Task<string> ExplainAsync(NpgsqlConnection connection, Guid tenantId, Vector probe)
    {
        await using var command = new NpgsqlCommand(
            "EXPLAIN SELECT id FROM knowledge_chunks WHERE tenant_id = $1 ORDER BY embedding <=> $2 LIMIT 5", connection);
        command.Parameters.AddWithValue(tenantId);
        command.Parameters.AddWithValue(probe);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join(Environment.NewLine, lines);
    }

    private static async Task<Guid> SeedChunksAsync(string connectionString, int count)
    {
        var organization = new Organization { Name = "Vector Test Co", CreatedAt = DateTimeOffset.UtcNow };
        await using var db = TestStores.CreateDbContext(connectionString, organization.Id);
        db.Organizations.Add(organization);
        var document = new KnowledgeDocument
        {
            FileName = "catalogue.pdf",
            ContentType = "application/pdf",
            State = KnowledgeDocumentState.Indexed,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.KnowledgeDocuments.Add(document);
        await db.SaveChangesAsync();

        // Enough rows that a planner would rather walk the index than sort them all. Loading them
        // into a live HNSW index row by row is slow, so the migration's own index definition is
        // set aside, the rows copied in, and the same definition built again in one pass.
        await using var dataSource = DataExtensions.BuildDataSource(connectionString + ";Command Timeout=300");
        await using var connection = await dataSource.OpenConnectionAsync();
        var indexDefinition = (string)(await ScalarAsync(connection,
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_knowledge_chunks_embedding'"))!;
        await ScalarAsync(connection, "DROP INDEX ix_knowledge_chunks_embedding");
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY knowledge_chunks (id, tenant_id, document_id, ordinal, content, embedding) FROM STDIN (FORMAT BINARY)"))
        {
            var random = new Random(42);
            for (var i = 0; i < count; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(Guid.CreateVersion7());
                await copy.WriteAsync(organization.Id);
                await copy.WriteAsync(document.Id);
                await copy.WriteAsync(i);
                await copy.WriteAsync($"Passage {i}");
                await copy.WriteAsync(RandomVector(random));
            }

            await copy.CompleteAsync();
        }

        await ScalarAsync(connection, indexDefinition);
        return organization.Id;
    }

    private static Vector RandomVector(Random random)
    {
        var values = new float[KnowledgeChunk.EmbeddingDimensions];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return new Vector(values);
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
