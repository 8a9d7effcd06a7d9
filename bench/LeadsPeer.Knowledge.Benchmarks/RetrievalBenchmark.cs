using System.Diagnostics;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Knowledge;
using LeadsPeer.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Pgvector;

namespace LeadsPeer.Knowledge.Benchmarks;

/// <summary>
/// Search latency and recall@10 for one organisation with 100,000 chunks among 1,000,000 chunks
/// of 100 other organisations. Vectors are real all-MiniLM-L6-v2 embeddings of varied product
/// sentences, perturbed (embedding a million real passages takes hours here). Latency is the
/// collection's whole search call (pooled connection, transaction, settings, query); recall is
/// against an exact scan of the organisation's own chunks.
/// </summary>
public static class RetrievalBenchmark
{

    public static async Task<int> RunAsync(string[] args)
    {
        var tenantChunks = Arg(args, "--tenant-chunks", 100_000);
        var otherChunks = Arg(args, "--other-chunks", 1_000_000);
        var queries = Arg(args, "--queries", 200);
        var sharedBuffers = args.SkipWhile(a => a != "--shared-buffers").Skip(1).FirstOrDefault("6GB");
        // Per-dimension Gaussian noise on the base embeddings: 0.025 keeps tight clusters (a copy
        // is about 0.89 similar to its sentence), 0.04 spreads them like neighbouring passages of
        // real documents (about 0.79).
        var noise = args.SkipWhile(a => a != "--noise").Skip(1).Select(a => float.Parse(a, System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault(0.025f);
        const int OtherTenants = 100;
        Console.WriteLine($"Retrieval benchmark — {Environment.ProcessorCount} cores, {tenantChunks:N0} chunks for one organisation among {otherChunks:N0} of {OtherTenants} others, {queries} queries, noise {noise}, PostgreSQL shared_buffers {sharedBuffers}");

        // A database server sized as in production (shared_buffers about a quarter of memory), so
        // the vectors' index is served from PostgreSQL's own cache.
        await using var postgres = await PostgresServer.StartNewAsync(settings: new Dictionary<string, string> { ["shared_buffers"] = sharedBuffers });
        await using var redis = await RedisServer.StartNewAsync();
        await postgres.ExecuteAsync("CREATE DATABASE leadspeer");
        var database = postgres.ConnectionString("leadspeer") + ";Command Timeout=0";
        await TestStores.MigrateAsync(database);
        using var services = WorkerServices.Create(database, redis.ConnectionString);
        var embeddings = services.Host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var model = services.Host.Services.GetRequiredService<EmbeddingModelInfo>();

        var clock = Stopwatch.StartNew();
        var bases = (await embeddings.GenerateAsync(Sentences().ToList())).Select(e => e.Vector.ToArray()).ToList();
        Console.WriteLine($"  {bases.Count} real base embeddings in {clock.Elapsed.TotalSeconds:0.0} s");

        var dataSource = services.Host.Services.GetRequiredService<NpgsqlDataSource>();
        var random = new Random(20261127);
        var tenant = Guid.CreateVersion7();
        var others = Enumerable.Range(0, OtherTenants).Select(_ => Guid.CreateVersion7()).ToList();
        clock.Restart();
        await Execute(dataSource, $"DROP INDEX {KnowledgeSchema.IndexName(model.Dimensions)}");
        await LoadAsync(dataSource, tenant, tenantChunks, bases, random, model, noise);
        foreach (var other in others)
        {
            await LoadAsync(dataSource, other, otherChunks / OtherTenants, bases, random, model, noise);
        }

        // As a served database would be: vacuumed and analysed, so no autovacuum of a million fresh
        // rows competes with the searches being measured.
        await Execute(dataSource, "VACUUM (ANALYZE) knowledge_chunks");
        Console.WriteLine($"  loaded and vacuumed {tenantChunks + otherChunks:N0} chunks in {clock.Elapsed.TotalSeconds:0} s");
        clock.Restart();
        await Execute(dataSource, $"SET maintenance_work_mem = '6GB'; SET max_parallel_maintenance_workers = {Math.Max(1, Environment.ProcessorCount - 1)}; {KnowledgeSchema.CreateIndexSql(model.Dimensions)}; ANALYZE knowledge_chunks");
        Console.WriteLine($"  HNSW index (m 16, ef_construction 64) built in {clock.Elapsed.TotalSeconds:0} s");
        // As on a server that has been serving searches: the index in PostgreSQL's cache.
        // The table is partitioned by tenant, so is the index: each partition's part is warmed.
        await Execute(dataSource, $"""
            CREATE EXTENSION IF NOT EXISTS pg_prewarm;
            SELECT pg_prewarm(i.inhrelid::regclass) FROM pg_inherits i WHERE i.inhparent = '{KnowledgeSchema.IndexName(model.Dimensions)}'::regclass
            """);
        await using (var share = dataSource.CreateCommand("""
            SELECT count(*), count(*) FILTER (WHERE tenant_id = $1) FROM knowledge_chunks
            WHERE tableoid = (SELECT tableoid FROM knowledge_chunks WHERE tenant_id = $1 LIMIT 1)
            """))
        {
            share.Parameters.Add(new NpgsqlParameter { Value = tenant });
            await using var reader = await share.ExecuteReaderAsync();
            await reader.ReadAsync();
            Console.WriteLine($"  the organisation's partition holds {reader.GetInt64(0):N0} chunks, {100.0 * reader.GetInt64(1) / reader.GetInt64(0):0} % its own");
        }

        var search = new KnowledgeSearch(dataSource, model);
        var probes = Enumerable.Range(0, queries + 20).Select(_ => Perturb(bases[random.Next(bases.Count)], random, noise)).ToList();
        var latencies = new List<double>();
        var results = new List<List<Guid>>();
        for (var i = 0; i < probes.Count; i++)
        {
            clock.Restart();
            var found = (await search.NearestAsync(tenant, probes[i], 10, CancellationToken.None)).Select(m => m.Passage.Id).ToList();

            var elapsed = clock.Elapsed.TotalMilliseconds;
            if (i >= 20)
            {
                // The first 20 warm caches and plans.
                latencies.Add(elapsed);
                results.Add(found);
            }
        }

        // Recall afterwards: the exact scans would otherwise run between the timed searches.
        var recalls = new List<double>();
        var short_ = 0;
        for (var i = 0; i < results.Count; i++)
        {
            var exact = await ExactAsync(dataSource, tenant, model, probes[i + 20]);
            recalls.Add(results[i].Intersect(exact).Count() / (double)exact.Count);
            short_ += results[i].Count < 10 ? 1 : 0;
        }

        Console.WriteLine();
        Console.WriteLine($"Search (top 10, vector through HNSW, tenant-filtered): p50 {Percentiles.Of(latencies, 50):0.0} ms, p95 {Percentiles.Of(latencies, 95):0.0} ms, p99 {Percentiles.Of(latencies, 99):0.0} ms, max {latencies.Max():0.0} ms (goal p95 < 20 ms)");
        Console.WriteLine($"Recall@10 against exact search: {recalls.Average():0.000} (goal ≥ 0.95); worst query {recalls.Min():0.0}; queries with fewer than 10 results: {short_}");
        return Percentiles.Of(latencies, 95) < 20 && recalls.Average() >= 0.95 ? 0 : 1;
    }

    private static async Task<List<Guid>> ExactAsync(NpgsqlDataSource dataSource, Guid tenant, EmbeddingModelInfo model, float[] probe)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var off = new NpgsqlCommand("SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = on", connection, transaction))
        {
            await off.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand(
            $"SELECT id FROM knowledge_chunks WHERE tenant_id = $1 ORDER BY embedding::vector({model.Dimensions}) <=> $2::vector({model.Dimensions}) LIMIT 10", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        command.Parameters.Add(new NpgsqlParameter { Value = new Vector(probe) });
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    private static async Task LoadAsync(NpgsqlDataSource dataSource, Guid tenant, int count, List<float[]> bases, Random random, EmbeddingModelInfo model, float noise)
    {
        var document = Guid.CreateVersion7();
        await Execute(dataSource, $"""
            INSERT INTO organizations (id, name, created_at) VALUES ('{tenant}', 'Bench {tenant:N}', now());
            INSERT INTO knowledge_documents (id, tenant_id, kind, file_name, content_type, size_bytes, state, progress, chunk_count, embedding_model, created_at, updated_at)
            VALUES ('{document}', '{tenant}', 'File', 'catalogue.pdf', 'application/pdf', 0, 'Indexed', 100, {count}, '{model.Name}', now(), now())
            """);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY knowledge_chunks (id, tenant_id, document_id, ordinal, content, location, embedding, embedding_dimensions, embedding_model, token_count) FROM STDIN (FORMAT BINARY)");
        for (var i = 0; i < count; i++)
        {
            await copy.StartRowAsync();
            await copy.WriteAsync(Guid.CreateVersion7());
            await copy.WriteAsync(tenant);
            await copy.WriteAsync(document);
            await copy.WriteAsync(i);
            await copy.WriteAsync($"Synthetic passage {i}");
            await copy.WriteAsync($"page {i / 10 + 1}");
            await copy.WriteAsync(new Vector(Perturb(bases[random.Next(bases.Count)], random, noise)));
            await copy.WriteAsync(model.Dimensions);
            await copy.WriteAsync(model.Name);
            await copy.WriteAsync(100);
        }

        await copy.CompleteAsync();
    }

    /// <summary>A base embedding moved by Gaussian noise and normalised again: near its sentence, distinct from every other copy.</summary>
    private static float[] Perturb(float[] vector, Random random, float noise)
    {
        var result = new float[vector.Length];
        for (var i = 0; i < vector.Length; i++)
        {
            var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            result[i] = vector[i] + (float)(gaussian * noise);
        }

        var norm = MathF.Sqrt(result.Sum(v => v * v));
        for (var i = 0; i < result.Length; i++)
        {
            result[i] /= norm;
        }

        return result;
    }

    /// <summary>Varied sentences about products, policies and care, so the base vectors spread like a real catalogue's.</summary>
    private static IEnumerable<string> Sentences()
    {
        string[] products = ["sleeping bag", "bike helmet", "tent", "rain jacket", "hiking boots", "camping stove", "backpack", "trekking poles", "headlamp", "water filter"];
        string[] topics =
        [
            "How to clean the {0} after a trip", "Warranty terms for the {0}", "Storing the {0} over winter", "Size guide for the {0}",
            "Repairing a tear in the {0}", "Materials used in the {0}", "Safety instructions for the {0}", "Returning a {0} bought online",
            "Temperature rating of the {0}", "Weight and packed size of the {0}", "Assembling the {0} for the first time", "Replacement parts for the {0}",
            "Using the {0} in wet weather", "Recycling an old {0}", "Choosing between two models of {0}", "Shipping times for a {0}",
            "Caring for the zipper of the {0}", "Fitting the {0} correctly", "Testing standards of the {0}", "Accessories that fit the {0}",
        ];
        string[] audiences = ["for beginners", "for families", "in the mountains", "for long trips", "in summer", "for children"];
        string[] kinds = ["", "Question: ", "Tip: ", "Customer asked: ", "Manual section: "];
        return from kind in kinds from product in products from topic in topics from audience in audiences
               select kind + string.Format(System.Globalization.CultureInfo.InvariantCulture, topic, product) + " " + audience;
    }

    private static async Task Execute(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }

    private static int Arg(string[] args, string name, int fallback) =>
        args.SkipWhile(a => a != name).Skip(1).Select(int.Parse).FirstOrDefault(fallback);
}
