using System.Diagnostics;
using LeadsPeer.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsPeer.Knowledge.Benchmarks;

/// <summary>
/// Chunks per second of the whole indexing pipeline (PDF text, cleaning, chunking, embedding,
/// the transaction that writes chunks and purges the file) against the raw embedding model on
/// the very same chunks in the same batches: the difference is the pipeline's overhead.
/// </summary>
public static class IndexingBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (Manuals.Folder(args, "indexing benchmark") is not { } folder)
        {
            return 2;
        }

        var rounds = args.SkipWhile(a => a != "--rounds").Skip(1).Select(int.Parse).FirstOrDefault(5);
        Console.WriteLine($"Indexing benchmark — {Environment.ProcessorCount} cores, local model all-MiniLM-L6-v2, {rounds} rounds of the five manuals after one warm-up round");
        await using var postgres = await PostgresServer.StartNewAsync(durable: true);
        await using var redis = await RedisServer.StartNewAsync();
        await postgres.ExecuteAsync("CREATE DATABASE leadspeer");
        var database = postgres.ConnectionString("leadspeer");
        await TestStores.MigrateAsync(database);
        using var services = WorkerServices.Create(database, redis.ConnectionString);
        var embeddings = services.Host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        await embeddings.GenerateAsync(["warm-up: the model is loaded and its first inference run before timing"]);
        var db = new Db(database);

        var pipeline = new List<double>();
        var raw = new List<double>();
        long chunks = 0;
        for (var round = -1; round < rounds; round++)
        {
            var tenant = await services.AddTenantAsync($"round {round}");
            var ids = new List<Guid>();
            foreach (var pdf in Manuals.Pdfs(folder))
            {
                ids.Add(await services.AddFileAsync(tenant, pdf));
            }

            var clock = Stopwatch.StartNew();
            foreach (var id in ids)
            {
                await services.IndexAsync(tenant, id);
            }

            var pipelineSeconds = clock.Elapsed.TotalSeconds;
            var texts = (await db.RowsAsync("SELECT content FROM knowledge_chunks WHERE tenant_id = $1 ORDER BY document_id, ordinal", tenant))
                .Select(r => (string)r[0]!).ToList();
            chunks = texts.Count;
            clock.Restart();
            foreach (var id in ids)
            {
                // Same batches as the pipeline: per document, 32 at a time.
                var own = (await db.RowsAsync("SELECT content FROM knowledge_chunks WHERE document_id = $1 ORDER BY ordinal", id)).Select(r => (string)r[0]!).ToList();
                for (var start = 0; start < own.Count; start += LeadsPeer.Worker.Knowledge.IndexDocumentHandler.EmbeddingBatch)
                {
                    await embeddings.GenerateAsync(own.Skip(start).Take(LeadsPeer.Worker.Knowledge.IndexDocumentHandler.EmbeddingBatch));
                }
            }

            var rawSeconds = clock.Elapsed.TotalSeconds;
            if (round < 0)
            {
                continue; // warm-up: every code path compiled and cached once
            }

            pipeline.Add(chunks / pipelineSeconds);
            raw.Add(chunks / rawSeconds);
            Console.WriteLine($"  round {round + 1}: {chunks} chunks — pipeline {chunks / pipelineSeconds:0.0} chunks/s ({pipelineSeconds:0.00} s), raw model {chunks / rawSeconds:0.0} chunks/s ({rawSeconds:0.00} s)");
        }

        var pipelineRate = pipeline.Order().ElementAt(pipeline.Count / 2);
        var rawRate = raw.Order().ElementAt(raw.Count / 2);
        var overhead = (rawRate / pipelineRate - 1) * 100;
        Console.WriteLine();
        Console.WriteLine($"Median: pipeline {pipelineRate:0.0} chunks/s, raw model {rawRate:0.0} chunks/s, pipeline overhead {overhead:0.0}% (goal ≤ 20%)");
        Console.WriteLine($"Raw bytes left after indexing: {await db.CountAsync("knowledge_documents", "raw_content IS NOT NULL")}");
        return overhead <= 20 ? 0 : 1;
    }
}
