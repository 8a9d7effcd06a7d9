using LeadsPeer.Core.Data;
using LeadsPeer.Core.Knowledge;
using LeadsPeer.Core.Live;
using LeadsPeer.Core.Work;
using LeadsPeer.Worker.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Pgvector;

namespace LeadsPeer.Worker.Knowledge;

/// <summary>
/// Turns a document into searchable chunks: extract, clean, chunk, embed in batches, then one
/// transaction replaces the document's chunks, marks it indexed and sets its raw bytes to null.
/// A document that cannot be read ends failed with its reason, its bytes purged too and no
/// chunk written. Without raw bytes (already indexed) the stored chunks are re-embedded: that
/// is what re-indexing after a model change means.
/// </summary>
public sealed partial class IndexDocumentHandler(
    LeadsPeerDbContext db,
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    EmbeddingModelInfo model,
    Chunker chunker,
    LiveEventPublisher live,
    TimeProvider time,
    ILogger<IndexDocumentHandler> logger) : IWorkHandler
{
    public const int EmbeddingBatch = 32;

    /// <summary>Unexpected errors (not the document's fault) are retried this many times before the document is failed and purged.</summary>
    public const int Attempts = 3;

    public WorkKind Kind => WorkKind.IndexDocument;

    public async Task<WorkResult> HandleAsync(WorkLease lease, CancellationToken cancellationToken)
    {
        var document = await db.KnowledgeDocuments.AsNoTracking().SingleOrDefaultAsync(d => d.Id == lease.SubjectId, cancellationToken);
        if (document is null)
        {
            return WorkResult.Done; // deleted meanwhile
        }

        try
        {
            await ReportAsync(document, KnowledgeDocumentState.Indexing, progress: 5, cancellationToken);
            var chunks = await ChunksOfAsync(document, cancellationToken);
            var vectors = new List<Vector>(chunks.Count);
            for (var start = 0; start < chunks.Count; start += EmbeddingBatch)
            {
                var batch = chunks.Skip(start).Take(EmbeddingBatch).Select(c => c.Content).ToList();
                var generated = await embeddings.GenerateAsync(batch, cancellationToken: cancellationToken);
                vectors.AddRange(generated.Select(g => CheckedVector(g.Vector)));
                await ReportAsync(document, KnowledgeDocumentState.Indexing, progress: 10 + (85 * vectors.Count / chunks.Count), cancellationToken);
            }

            await ReplaceChunksAsync(document, chunks, vectors, cancellationToken);
            LogIndexed(logger, document.Id, chunks.Count);
        }
        catch (ExtractionException ex)
        {
            await FailAsync(document, ex.Message, cancellationToken);
            LogFailed(logger, document.Id, ex.InnerException?.GetType().Name ?? nameof(ExtractionException));
        }
        catch (Exception ex) when (ex is not OperationCanceledException && lease.Attempts + 1 >= Attempts)
        {
            await FailAsync(document, "Indexing failed several times for a reason on our side. Upload the file again; if it keeps failing, contact support.", cancellationToken);
            LogFailed(logger, document.Id, ex.GetType().Name);
        }

        return WorkResult.Done;
    }

    /// <summary>
    /// Every run stopped before it finished (the file stops the Worker, e.g. it exhausts memory):
    /// the document fails with words the business can act on, and its bytes are purged.
    /// </summary>
    public async Task GiveUpAsync(WorkLease lease, string reason, CancellationToken cancellationToken)
    {
        if (await db.KnowledgeDocuments.AsNoTracking().SingleOrDefaultAsync(d => d.Id == lease.SubjectId, cancellationToken) is { } document)
        {
            await FailAsync(document, "Indexing this file stopped before it finished several times. Split it into smaller files or upload it again; if it keeps failing, contact support.", cancellationToken);
            LogFailed(logger, document.Id, "gave up");
        }
    }

    private async Task<IReadOnlyList<TextChunk>> ChunksOfAsync(KnowledgeDocument document, CancellationToken cancellationToken)
    {
        if (document.Kind == KnowledgeKind.Faq)
        {
            // Every passage of a long answer carries its question: that is what customers ask.
            var question = document.Question ?? "";
            return [.. chunker.Split([new TextSection("FAQ", document.Answer ?? "")])
                .Select(c => new TextChunk($"{question}\n{c.Content}", c.Location, Chunker.CountTokens(question) + c.TokenCount))];
        }

        if (document.RawContent is not null)
        {
            var type = KnowledgeFileTypes.FromContentType(document.ContentType)
                       ?? throw new ExtractionException("The file's type is not one we can read.");
            var chunks = chunker.Split(TextExtractor.Extract(type, document.RawContent));
            return chunks.Count > 0 ? chunks : throw new ExtractionException("No text was found in the document.");
        }

        // Indexed before: its words are in the chunks, the file itself is gone.
        var stored = await db.KnowledgeChunks.AsNoTracking().Where(c => c.DocumentId == document.Id).OrderBy(c => c.Ordinal)
            .Select(c => new TextChunk(c.Content, c.Location, c.TokenCount))
            .ToListAsync(cancellationToken);
        return stored.Count > 0 ? stored : throw new ExtractionException("The document's file was not kept after indexing and it has no passages: upload it again.");
    }

    private Vector CheckedVector(ReadOnlyMemory<float> vector) =>
        vector.Length == model.Dimensions
            ? new Vector(vector)
            : throw new InvalidOperationException($"The embedding model returned {vector.Length} dimensions; {model.Name} is configured with {model.Dimensions}.");

    private async Task ReplaceChunksAsync(KnowledgeDocument document, IReadOnlyList<TextChunk> chunks, List<Vector> vectors, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // Ordered with deletion and with a newer run of the same document by the row lock.
            var exists = await db.Database.SqlQuery<Guid>($"SELECT id AS \"Value\" FROM knowledge_documents WHERE id = {document.Id} FOR UPDATE")
                .AnyAsync(cancellationToken);
            if (!exists)
            {
                return;
            }

            await db.KnowledgeChunks.Where(c => c.DocumentId == document.Id).ExecuteDeleteAsync(cancellationToken);
            db.KnowledgeChunks.AddRange(chunks.Select((chunk, i) => new KnowledgeChunk
            {
                TenantId = document.TenantId,
                DocumentId = document.Id,
                Ordinal = i,
                Content = chunk.Content,
                Location = chunk.Location is { Length: > 500 } location ? location[..500] : chunk.Location,
                TokenCount = chunk.TokenCount,
                Embedding = vectors[i],
                EmbeddingDimensions = model.Dimensions,
                EmbeddingModel = model.Name,
            }));
            await db.SaveChangesAsync(cancellationToken);
            await db.KnowledgeDocuments.Where(d => d.Id == document.Id).ExecuteUpdateAsync(d => d
                .SetProperty(x => x.State, KnowledgeDocumentState.Indexed)
                .SetProperty(x => x.RawContent, (byte[]?)null)
                .SetProperty(x => x.Progress, 100)
                .SetProperty(x => x.ChunkCount, chunks.Count)
                .SetProperty(x => x.EmbeddingModel, model.Name)
                .SetProperty(x => x.FailureReason, (string?)null)
                .SetProperty(x => x.IndexedAt, now)
                .SetProperty(x => x.UpdatedAt, now), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        await live.PublishAsync(document.TenantId, new LiveEvent(LiveEventTypes.DocumentProgress, DocumentId: document.Id, Status: nameof(KnowledgeDocumentState.Indexed), Progress: 100));
    }

    private async Task FailAsync(KnowledgeDocument document, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // Nothing half-indexed: no chunks, and the raw bytes purged like an indexed file's.
            await db.KnowledgeChunks.Where(c => c.DocumentId == document.Id).ExecuteDeleteAsync(cancellationToken);
            await db.KnowledgeDocuments.Where(d => d.Id == document.Id).ExecuteUpdateAsync(d => d
                .SetProperty(x => x.State, KnowledgeDocumentState.Failed)
                .SetProperty(x => x.RawContent, (byte[]?)null)
                .SetProperty(x => x.Progress, 0)
                .SetProperty(x => x.ChunkCount, 0)
                .SetProperty(x => x.FailureReason, reason)
                .SetProperty(x => x.UpdatedAt, now), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await live.PublishAsync(document.TenantId, new LiveEvent(LiveEventTypes.DocumentProgress, DocumentId: document.Id, Status: nameof(KnowledgeDocumentState.Failed)));
    }

    private async Task ReportAsync(KnowledgeDocument document, KnowledgeDocumentState state, int progress, CancellationToken cancellationToken)
    {
        await db.KnowledgeDocuments.Where(d => d.Id == document.Id)
            .ExecuteUpdateAsync(d => d.SetProperty(x => x.State, state).SetProperty(x => x.Progress, progress), cancellationToken);
        await live.PublishAsync(document.TenantId, new LiveEvent(LiveEventTypes.DocumentProgress, DocumentId: document.Id, Status: state.ToString(), Progress: progress));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Document {DocumentId} indexed: {Chunks} chunks")]
    private static partial void LogIndexed(ILogger logger, Guid documentId, int chunks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Document {DocumentId} failed to index ({Reason})")]
    private static partial void LogFailed(ILogger logger, Guid documentId, string reason);
}
