using LeadsPeer.Core.Tenancy;

namespace LeadsPeer.Core.Knowledge;

/// <summary>A file the organisation uploaded as knowledge for its agent.</summary>
public sealed class KnowledgeDocument : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long SizeBytes { get; set; }

    /// <summary>The uploaded bytes; set to null in the same transaction that marks the document indexed or failed.</summary>
    public byte[]? RawContent { get; set; }
    public KnowledgeDocumentState State { get; set; }
    public string? FailureReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? IndexedAt { get; set; }
}

public enum KnowledgeDocumentState
{
    Uploaded,
    Indexing,
    Indexed,
    Failed,
}
