using LeadsPeer.Core.Data;
using LeadsPeer.Core.Knowledge;
using LeadsPeer.Core.Tenancy;
using LeadsPeer.Testing;
using Npgsql;
using Pgvector;

namespace LeadsPeer.Core.Tests.Knowledge;

public sealed class KnowledgeSearchTests(TestStores stores)
{
    private static readonly EmbeddingModelInfo Model = new("all-MiniLM-L6-v2", 384);

    [Fact]
    public async Task The_migration_makes_a_partial_hnsw_cosine_index_for_the_default_dimension()
    {
        var connectionString = await stores.CreateMigratedDatabaseAsync();
        await using var dataSource = DataExtensions.BuildDataSource(connectionString);

        var index = await ScalarAsync(dataSource, "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_knowledge_chunks_embedding_384'");

        Assert.NotNull(index);
        Assert.Contains("hnsw", (string)index);
        Assert.Contains("vector_cosine_ops", (string)index);
        Assert.Contains("(embedding_dimensions = 384)", (string)index);
    }

    [Fact]
    public async Task Nearest_neighbour_search_by_a_tenant_is_served_by_the_dimension_index()
    {
        var connectionString = await stores.CreateMigratedDatabaseAsync();
        await using var dataSource = DataExtensions.BuildDataSource(connectionString + ";Command Timeout=300");
        // Enough rows that a planner would rather walk the index than sort them all. Loading them
        // into a live HNSW index row by row is slow: the index is built again after the copy.
        await ScalarAsync(dataSource, "DROP INDEX ix_knowledge_chunks_embedding_384");
        var tenant = await SeedAsync(dataSource, count: 10_000, seed: 42);
        await ScalarAsync(dataSource, KnowledgeSchema.CreateIndexSql(384));
        await ScalarAsync(dataSource, "ANALYZE knowledge_chunks");

        await using var command = dataSource.CreateCommand($"""
            EXPLAIN SELECT id FROM knowledge_chunks
            WHERE tenant_id = $1 AND embedding_dimensions = 384 AND embedding_model = $2
            ORDER BY {KnowledgeSchema.EmbeddingExpression(384)} <=> $3::vector(384) LIMIT 20
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = tenant.TenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = Model.Name });
        command.Parameters.Add(new NpgsqlParameter { Value = RandomVector(new Random(1), 384) });
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                plan.Add(reader.GetString(0));
            }
        }

        var results = await SearchAsync(new KnowledgeSearch(dataSource, Model), tenant.TenantId, RandomVector(new Random(1), 384), 5);
        // The table is partitioned by tenant: the search reads one partition, through that
        // partition's share of the dimension index.
        var partitionIndexes = await ListAsync(dataSource, """
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'ix_knowledge_chunks_embedding_384'::regclass
            """);
        var scans = plan.Where(line => line.Contains(" Scan ")).ToList();
        Assert.Equal(16, partitionIndexes.Count);
        var scan = Assert.Single(scans);
        Assert.Contains(partitionIndexes, index => scan.Contains($"Index Scan using {index} on knowledge_chunks_p"));
        Assert.Equal(5, results.Count);
        Assert.True(results[0].Score >= results[4].Score);
    }

    [Fact]
    public async Task Search_never_returns_another_tenants_chunks_even_when_they_are_closer()
    {
        var connectionString = await stores.CreateMigratedDatabaseAsync();
        await using var dataSource = DataExtensions.BuildDataSource(connectionString);
        var ours = await SeedAsync(dataSource, count: 30, seed: 1, content: "our passage about warranty");
        var theirs = await SeedAsync(dataSource, count: 30, seed: 2, content: "their passage about warranty");
        var probe = theirs.Vectors[0]; // identical to one of the other tenant's chunks

        var search = new KnowledgeSearch(dataSource, Model);
        var vector = await SearchAsync(search, ours.TenantId, probe, 10);
        var hybrid = await search.HybridAsync(ours.TenantId, probe.Memory, ["warranty", "passage"], 10, TestContext.Current.CancellationToken);

        Assert.Equal(10, vector.Count);
        Assert.Equal(10, hybrid.Count);
        Assert.All(vector.Concat(hybrid), r => Assert.Equal(ours.DocumentId, r.Passage.DocumentId));
        Assert.All(vector.Concat(hybrid), r => Assert.StartsWith("our passage", r.Passage.Content));
        Assert.Null(await search.GetAsync(ours.TenantId, theirs.ChunkIds[0], TestContext.Current.CancellationToken));
        Assert.NotNull(await search.GetAsync(ours.TenantId, ours.ChunkIds[0], TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Hybrid_search_fuses_keyword_matches_with_vector_neighbours_and_keeps_the_cosine_similarity()
    {
        var connectionString = await stores.CreateMigratedDatabaseAsync();
        await using var dataSource = DataExtensions.BuildDataSource(connectionString);
        var tenant = await SeedAsync(dataSource, count: 50, seed: 3, content: "filler text");
        // One chunk whose words match but whose vector is far from the probe.
        await using (var command = dataSource.CreateCommand("UPDATE knowledge_chunks SET content = 'Store the bag in its compression sack' WHERE id = $1"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = tenant.ChunkIds[49] });
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var search = new KnowledgeSearch(dataSource, Model);
        var hybrid = await search.HybridAsync(tenant.TenantId, tenant.Vectors[0].Memory, ["compression sack?"], 5, TestContext.Current.CancellationToken);

        var vectorOnly = await SearchAsync(search, tenant.TenantId, tenant.Vectors[0], 5);
        // The best by vector and the only keyword match share the top two places (both rank first in one list).
        Assert.Equal([tenant.ChunkIds[0], tenant.ChunkIds[49]], hybrid.Take(2).Select(r => r.Passage.Id).Order());
        Assert.DoesNotContain(vectorOnly, r => r.Passage.Id == tenant.ChunkIds[49]);
        Assert.Equal(1.0, hybrid.Single(r => r.Passage.Id == tenant.ChunkIds[0]).Passage.Similarity!.Value, 3);
    }

    [Fact]
    public async Task Words_the_organisation_s_knowledge_never_uses_are_told_apart_from_its_own_its_words_starts_and_compounds()
    {
        var connectionString = await stores.CreateMigratedDatabaseAsync();
        await using var dataSource = DataExtensions.BuildDataSource(connectionString);
        var bakery = await SeedAsync(dataSource, count: 1, seed: 5, content: "Croissants cost Rs. 220 each. Our cakes are baked daily.");
        var other = await SeedAsync(dataSource, count: 1, seed: 6, content: "Vegan options every day");
        var search = new KnowledgeSearch(dataSource, Model);

        var unknown = await search.UnknownAsync(bakery.TenantId, ["croissants", "vegan", "cupcakes", "bake", "yessssss", "dai"], TestContext.Current.CancellationToken);

        // "croissants" and "bake" start words of the knowledge; "cupcakes" ends in "cakes"; "vegan" is
        // only another organisation's; a word of one letter repeated leaves no part to look for.
        Assert.Equal(["vegan", "yessssss"], unknown);
        Assert.Empty(await search.UnknownAsync(other.TenantId, ["vegan", "day"], TestContext.Current.CancellationToken));
        Assert.Empty(await search.UnknownAsync(bakery.TenantId, [], TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Another_dimension_is_configuration_its_index_is_made_and_other_models_chunks_are_not_compared()
    {
        var connectionString = await stores.CreateMigratedDatabaseAsync();
        await using var dataSource = DataExtensions.BuildDataSource(connectionString);
        var small = new EmbeddingModelInfo("tiny-8", 8);
        var old = await SeedAsync(dataSource, count: 5, seed: 4);
        var current = await SeedAsync(dataSource, count: 5, seed: 5, model: small, tenantId: old.TenantId);

        var search = new KnowledgeSearch(dataSource, small);
        await search.EnsureIndexAsync(TestContext.Current.CancellationToken);
        var results = await SearchAsync(search, old.TenantId, current.Vectors[2], 10);

        Assert.NotNull(await ScalarAsync(dataSource, "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_knowledge_chunks_embedding_8'"));
        Assert.Equal(5, results.Count);
        Assert.All(results, r => Assert.Equal(current.DocumentId, r.Passage.DocumentId));
        Assert.Equal(current.ChunkIds[2], results[0].Passage.Id);
        await Assert.ThrowsAsync<ArgumentException>(() => SearchAsync(search, old.TenantId, old.Vectors[0], 3));
    }

    private static async Task<List<KnowledgeMatch>> SearchAsync(KnowledgeSearch search, Guid tenantId, Vector probe, int top) =>
        [.. await search.NearestAsync(tenantId, probe.Memory, top, TestContext.Current.CancellationToken)];

    private sealed record Seeded(Guid TenantId, Guid DocumentId, List<Guid> ChunkIds, List<Vector> Vectors);

    private static async Task<Seeded> SeedAsync(
        NpgsqlDataSource dataSource, int count, int seed, string content = "Passage", EmbeddingModelInfo? model = null, Guid? tenantId = null)
    {
        model ??= Model;
        var tenant = tenantId ?? Guid.CreateVersion7();
        var documentId = Guid.CreateVersion7();
        await using var connection = await dataSource.OpenConnectionAsync();
        if (tenantId is null)
        {
            await using var org = new NpgsqlCommand("INSERT INTO organizations (id, name, created_at) VALUES ($1, 'Co', now())", connection);
            org.Parameters.Add(new NpgsqlParameter { Value = tenant });
            await org.ExecuteNonQueryAsync();
        }

        await using (var doc = new NpgsqlCommand("""
            INSERT INTO knowledge_documents (id, tenant_id, kind, file_name, content_type, size_bytes, state, progress, chunk_count, created_at, updated_at)
            VALUES ($1, $2, 'File', 'manual.pdf', 'application/pdf', 1, 'Indexed', 100, 0, now(), now())
            """, connection))
        {
            doc.Parameters.Add(new NpgsqlParameter { Value = documentId });
            doc.Parameters.Add(new NpgsqlParameter { Value = tenant });
            await doc.ExecuteNonQueryAsync();
        }

        var ids = new List<Guid>();
        var vectors = new List<Vector>();
        var random = new Random(seed);
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY knowledge_chunks (id, tenant_id, document_id, ordinal, content, embedding, embedding_dimensions, embedding_model, token_count) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < count; i++)
            {
                var id = Guid.CreateVersion7();
                var vector = RandomVector(random, model.Dimensions);
                ids.Add(id);
                vectors.Add(vector);
                await copy.StartRowAsync();
                await copy.WriteAsync(id);
                await copy.WriteAsync(tenant);
                await copy.WriteAsync(documentId);
                await copy.WriteAsync(i);
                await copy.WriteAsync($"{content} {i}");
                await copy.WriteAsync(vector);
                await copy.WriteAsync(model.Dimensions);
                await copy.WriteAsync(model.Name);
                await copy.WriteAsync(3);
            }

            await copy.CompleteAsync();
        }

        return new Seeded(tenant, documentId, ids, vectors);
    }

    private static Vector RandomVector(Random random, int dimensions)
    {
        var values = new float[dimensions];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return new Vector(values);
    }

    private static async Task<object?> ScalarAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 300;
        return await command.ExecuteScalarAsync();
    }

    private static async Task<List<string>> ListAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var values = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
