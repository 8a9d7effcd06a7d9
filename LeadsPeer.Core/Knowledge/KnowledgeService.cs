using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Live;
using LeadsPeer.Core.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Core.Knowledge;

public sealed record KnowledgeDocumentView(
    Guid Id, string Name, string ContentType, long SizeBytes, KnowledgeDocumentState State, int Progress, int ChunkCount,
    string? FailureReason, DateTimeOffset CreatedAt, DateTimeOffset? IndexedAt);

public sealed record FaqView(Guid Id, string Question, string Answer, KnowledgeDocumentState State, string? FailureReason, DateTimeOffset UpdatedAt);

public sealed record KnowledgePage<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>
/// The organisation's knowledge: files and FAQ entries, each indexed by the Worker into chunks
/// the agent answers from. Every change that needs indexing writes its work in the same
/// transaction, so nothing waits for a dispatch that was lost.
/// </summary>
public sealed class KnowledgeService(
    LeadsPeerDbContext db,
    CurrentMember member,
    WorkRows work,
    WorkStreams streams,
    LiveEventPublisher live,
    AuditLog audit,
    IOptions<KnowledgeOptions> options,
    TimeProvider time)
{
    public const int MaxPageSize = 200;
    public const string FaqContentType = "text/x-faq";

    public long MaxFileBytes => options.Value.MaxFileBytes;

    public async Task<Outcome<KnowledgeDocumentView>> UploadAsync(string? fileName, byte[] content, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ManageKnowledge) is { } refused)
        {
            return refused;
        }

        var name = Path.GetFileName(fileName?.Trim() ?? "");
        if (name.Length is 0 or > 260)
        {
            return UseCaseError.Invalid("file", "The file needs a name of at most 260 characters.");
        }

        if (content.Length == 0)
        {
            return UseCaseError.Invalid("file", "The file is empty.");
        }

        if (content.LongLength > MaxFileBytes)
        {
            return new UseCaseError(FailureKind.TooLarge, $"The file is larger than {MaxFileBytes / (1024 * 1024)} MB.");
        }

        var (type, refusal) = KnowledgeFileTypes.Detect(name, content);
        if (type is null)
        {
            return new UseCaseError(FailureKind.Unsupported, refusal!);
        }

        var now = time.GetUtcNow();
        var document = new KnowledgeDocument
        {
            Kind = KnowledgeKind.File,
            FileName = name,
            ContentType = KnowledgeFileTypes.ContentTypeOf(type.Value),
            SizeBytes = content.LongLength,
            RawContent = content,
            State = KnowledgeDocumentState.Uploaded,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.KnowledgeDocuments.Add(document);
        audit.Record("knowledge.upload", "document", document.Id, name);
        await SaveAndIndexAsync(document, cancellationToken);
        return View(document);
    }

    public async Task<Outcome<KnowledgePage<KnowledgeDocumentView>>> ListDocumentsAsync(string? cursor, int? limit, CancellationToken cancellationToken)
    {
        var page = await PageAsync(KnowledgeKind.File, cursor, limit, cancellationToken);
        return page.Succeeded ? new KnowledgePage<KnowledgeDocumentView>([.. page.Value!.Items.Select(View)], page.Value.NextCursor) : page.Error!;
    }

    public async Task<Outcome<KnowledgeDocumentView>> GetDocumentAsync(Guid id, CancellationToken cancellationToken) =>
        await FindAsync(id, KnowledgeKind.File, cancellationToken) is { } document ? View(document) : NotFound(KnowledgeKind.File);

    public Task<Outcome<bool>> DeleteDocumentAsync(Guid id, CancellationToken cancellationToken) => DeleteAsync(id, KnowledgeKind.File, cancellationToken);

    /// <summary>
    /// Re-embeds the stored chunks (e.g. after a model change): the raw file is gone once indexed,
    /// so a failed document is fixed by uploading it again.
    /// </summary>
    public async Task<Outcome<KnowledgeDocumentView>> ReindexAsync(Guid id, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ManageKnowledge) is { } refused)
        {
            return refused;
        }

        var document = await FindAsync(id, KnowledgeKind.File, cancellationToken);
        if (document is null)
        {
            return NotFound(KnowledgeKind.File);
        }

        switch (document.State)
        {
            case KnowledgeDocumentState.Failed:
                return UseCaseError.Conflict("This document failed to index and its file was not kept: upload it again.");
            case KnowledgeDocumentState.Uploaded or KnowledgeDocumentState.Indexing:
                return UseCaseError.Conflict("This document is being indexed already.");
        }

        document.State = KnowledgeDocumentState.Indexing;
        document.Progress = 0;
        document.UpdatedAt = time.GetUtcNow();
        audit.Record("knowledge.reindex", "document", document.Id, document.FileName);
        await SaveAndIndexAsync(document, cancellationToken);
        return View(document);
    }

    public async Task<Outcome<KnowledgePage<FaqView>>> ListFaqsAsync(string? cursor, int? limit, CancellationToken cancellationToken)
    {
        var page = await PageAsync(KnowledgeKind.Faq, cursor, limit, cancellationToken);
        return page.Succeeded ? new KnowledgePage<FaqView>([.. page.Value!.Items.Select(FaqOf)], page.Value.NextCursor) : page.Error!;
    }

    public async Task<Outcome<FaqView>> CreateFaqAsync(string? question, string? answer, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ManageKnowledge) is { } refused)
        {
            return refused;
        }

        if (ValidateFaq(question, answer) is { } invalid)
        {
            return invalid;
        }

        var now = time.GetUtcNow();
        var faq = new KnowledgeDocument
        {
            Kind = KnowledgeKind.Faq,
            FileName = FaqName(question!),
            ContentType = FaqContentType,
            Question = question!.Trim(),
            Answer = answer!.Trim(),
            State = KnowledgeDocumentState.Uploaded,
            CreatedAt = now,
            UpdatedAt = now,
        };
        faq.SizeBytes = faq.Question.Length + faq.Answer.Length;
        db.KnowledgeDocuments.Add(faq);
        audit.Record("knowledge.faq.create", "faq", faq.Id);
        await SaveAndIndexAsync(faq, cancellationToken);
        return FaqOf(faq);
    }

    public async Task<Outcome<FaqView>> UpdateFaqAsync(Guid id, string? question, string? answer, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ManageKnowledge) is { } refused)
        {
            return refused;
        }

        if (ValidateFaq(question, answer) is { } invalid)
        {
            return invalid;
        }

        var faq = await FindAsync(id, KnowledgeKind.Faq, cancellationToken);
        if (faq is null)
        {
            return NotFound(KnowledgeKind.Faq);
        }

        faq.Question = question!.Trim();
        faq.Answer = answer!.Trim();
        faq.FileName = FaqName(faq.Question);
        faq.SizeBytes = faq.Question.Length + faq.Answer.Length;
        faq.State = KnowledgeDocumentState.Uploaded;
        faq.FailureReason = null;
        faq.Progress = 0;
        faq.UpdatedAt = time.GetUtcNow();
        audit.Record("knowledge.faq.update", "faq", faq.Id);
        await SaveAndIndexAsync(faq, cancellationToken);
        return FaqOf(faq);
    }

    public Task<Outcome<bool>> DeleteFaqAsync(Guid id, CancellationToken cancellationToken) => DeleteAsync(id, KnowledgeKind.Faq, cancellationToken);

    public static KnowledgeDocumentView View(KnowledgeDocument d) =>
        new(d.Id, d.FileName, d.ContentType, d.SizeBytes, d.State, d.Progress, d.ChunkCount, d.FailureReason, d.CreatedAt, d.IndexedAt);

    private static FaqView FaqOf(KnowledgeDocument d) => new(d.Id, d.Question ?? "", d.Answer ?? "", d.State, d.FailureReason, d.UpdatedAt);

    private static string FaqName(string question) => question.Trim() is { Length: > 200 } long_ ? long_[..200] : question.Trim();

    private static UseCaseError? ValidateFaq(string? question, string? answer)
    {
        if (string.IsNullOrWhiteSpace(question) || question.Trim().Length > KnowledgeLimits.MaxQuestionLength)
        {
            return UseCaseError.Invalid("question", $"A question of 1 to {KnowledgeLimits.MaxQuestionLength} characters is needed.");
        }

        if (string.IsNullOrWhiteSpace(answer) || answer.Trim().Length > KnowledgeLimits.MaxAnswerLength)
        {
            return UseCaseError.Invalid("answer", $"An answer of 1 to {KnowledgeLimits.MaxAnswerLength} characters is needed.");
        }

        return null;
    }

    private static UseCaseError NotFound(KnowledgeKind kind) =>
        UseCaseError.NotFound(kind == KnowledgeKind.Faq ? "No such FAQ entry in this organisation." : "No such document in this organisation.");

    private Task<KnowledgeDocument?> FindAsync(Guid id, KnowledgeKind kind, CancellationToken cancellationToken) =>
        db.KnowledgeDocuments.SingleOrDefaultAsync(d => d.Id == id && d.Kind == kind, cancellationToken);

    private async Task<Outcome<KnowledgePage<KnowledgeDocument>>> PageAsync(KnowledgeKind kind, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        var size = limit ?? 50;
        if (size is < 1 or > MaxPageSize)
        {
            return UseCaseError.Invalid("limit", $"A page holds 1 to {MaxPageSize} entries.");
        }

        if (!KeysetCursor.TryRead(cursor, out var after))
        {
            return UseCaseError.Invalid("cursor", "The cursor is not one this API gave out.");
        }

        var query = db.KnowledgeDocuments.AsNoTracking().Where(d => d.Kind == kind);
        if (after is { At: var at, Id: var afterId })
        {
            query = query.Where(d => d.CreatedAt < at || (d.CreatedAt == at && d.Id.CompareTo(afterId) < 0));
        }

        // The raw bytes never leave the database for a list.
        var rows = await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(size + 1)
            .Select(d => new KnowledgeDocument
            {
                Id = d.Id, TenantId = d.TenantId, Kind = d.Kind, FileName = d.FileName, ContentType = d.ContentType, SizeBytes = d.SizeBytes,
                Question = d.Question, Answer = d.Answer, State = d.State, Progress = d.Progress, ChunkCount = d.ChunkCount,
                FailureReason = d.FailureReason, CreatedAt = d.CreatedAt, UpdatedAt = d.UpdatedAt, IndexedAt = d.IndexedAt,
            })
            .ToListAsync(cancellationToken);
        var next = rows.Count > size ? KeysetCursor.Write(0, rows[size - 1].CreatedAt, rows[size - 1].Id) : null;
        return new KnowledgePage<KnowledgeDocument>(rows.Take(size).ToList(), next);
    }

    private async Task<Outcome<bool>> DeleteAsync(Guid id, KnowledgeKind kind, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ManageKnowledge) is { } refused)
        {
            return refused;
        }

        var name = await db.KnowledgeDocuments.Where(d => d.Id == id && d.Kind == kind).Select(d => d.FileName).SingleOrDefaultAsync(cancellationToken);
        if (name is null)
        {
            return NotFound(kind);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Chunks go with their document (cascade); an indexing run under way finds it gone and stops.
        await db.KnowledgeDocuments.Where(d => d.Id == id).ExecuteDeleteAsync(cancellationToken);
        audit.Record(kind == KnowledgeKind.Faq ? "knowledge.faq.delete" : "knowledge.delete", kind == KnowledgeKind.Faq ? "faq" : "document", id, kind == KnowledgeKind.File ? name : null);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await live.PublishAsync(member.OrganizationId!.Value, new LiveEvent(LiveEventTypes.DocumentProgress, DocumentId: id, Status: "Deleted"));
        return true;
    }

    private async Task SaveAndIndexAsync(KnowledgeDocument document, CancellationToken cancellationToken)
    {
        var tenantId = member.OrganizationId!.Value;
        Guid? workId;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
            workId = await work.ArmAsync(db, WorkRequest.IndexDocument(tenantId, document.Id, time.GetUtcNow()), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await RedisOutage.WaitBrieflyAsync(Task.WhenAll(
            workId is { } id ? streams.DispatchAsync(WorkKind.IndexDocument, id) : Task.CompletedTask,
            live.PublishAsync(tenantId, new LiveEvent(LiveEventTypes.DocumentProgress, DocumentId: document.Id, Status: document.State.ToString(), Progress: document.Progress))));
    }
}
