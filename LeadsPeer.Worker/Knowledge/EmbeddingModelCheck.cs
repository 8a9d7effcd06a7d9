using LeadsPeer.Core.Knowledge;
using LeadsPeer.Core.Work;
using Npgsql;

namespace LeadsPeer.Worker.Knowledge;

/// <summary>
/// At start-up: makes sure the configured embedding dimension has its HNSW index, and re-indexes
/// every document embedded by another model (a changed <c>AI:EmbeddingModel</c> or provider), so
/// search never compares vectors of different models. Until a document is re-embedded its old
/// chunks are simply not searched (search filters on the model).
/// </summary>
public sealed partial class EmbeddingModelCheck(
    NpgsqlDataSource dataSource,
    EmbeddingModelInfo model,
    WorkRows rows,
    WorkStreams streams,
    TimeProvider time,
    ILogger<EmbeddingModelCheck> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await KnowledgeSchema.EnsureIndexAsync(dataSource, model.Dimensions, stoppingToken);
                var stale = await ReindexStaleAsync(stoppingToken);
                if (stale > 0)
                {
                    LogReindexing(logger, stale, model.Name);
                }

                return;
            }
            catch (NpgsqlException ex)
            {
                LogRetrying(logger, ex.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(5), time, stoppingToken);
            }
        }
    }

    /// <summary>Marks documents of another model for re-indexing and arms their work; returns how many.</summary>
    public async Task<int> ReindexStaleAsync(CancellationToken cancellationToken)
    {
        var stale = new List<(Guid Id, Guid TenantId)>();
        await using (var command = dataSource.CreateCommand("""
            UPDATE knowledge_documents SET state = 'Indexing', progress = 0, updated_at = now()
            WHERE state = 'Indexed' AND embedding_model IS DISTINCT FROM $1
            RETURNING id, tenant_id
            """))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = model.Name });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                stale.Add((reader.GetGuid(0), reader.GetGuid(1)));
            }
        }

        foreach (var (id, tenantId) in stale)
        {
            if (await rows.ArmAsync(WorkRequest.IndexDocument(tenantId, id, time.GetUtcNow()), cancellationToken) is { } work)
            {
                await streams.DispatchAsync(WorkKind.IndexDocument, work);
            }
        }

        return stale.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-indexing {Count} documents embedded by another model than {Model}")]
    private static partial void LogReindexing(ILogger logger, int count, string model);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The embedding model check could not reach the database ({Reason}); retrying")]
    private static partial void LogRetrying(ILogger logger, string reason);
}
