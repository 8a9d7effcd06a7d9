using LeadsPeer.Core.Tenancy;

namespace LeadsPeer.Core.Knowledge;

/// <summary>
/// A piece of the organisation's knowledge: an uploaded file, or an FAQ entry (question and
/// answer) that is indexed the same way. Its chunks are what the agent answers from.
/// </summary>
public sealed class KnowledgeDocument : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public KnowledgeKind Kind { get; set; }

    /// <summary>The file's name (for an FAQ, its question), shown with the answers that quote it.</summary>
    public required string FileName { get; set; }

    /// <summary>The type detected from the content (not the one the browser claimed).</summary>
    public required string ContentType { get; set; }
    public long SizeBytes { get; set; }

    /// <summary>The uploaded bytes; set to null in the same transaction that marks the document indexed or failed.</summary>
    public byte[]? RawContent { get; set; }

    public string? Question { get; set; }
    public string? Answer { get; set; }

    public KnowledgeDocumentState State { get; set; }

    /// <summary>0–100 while indexing.</summary>
    public int Progress { get; set; }
    public int ChunkCount { get; set; }

    /// <summary>The embedding model the chunks were embedded with; another model means re-embedding.</summary>
    public string? EmbeddingModel { get; set; }

    /// <summary>Why indexing failed, in words the business can act on.</summary>
    public string? FailureReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? IndexedAt { get; set; }
}

public enum KnowledgeKind
{
    File,
    Faq,
}

public enum KnowledgeDocumentState
{
    Uploaded,
    Indexing,
    Indexed,
    Failed,
}
