using LeadsPeer.Core.Tenancy;
using NpgsqlTypes;
using Pgvector;

namespace LeadsPeer.Core.Knowledge;

/// <summary>A passage of a document, with its embedding (pgvector) and full-text vector for hybrid search.</summary>
public sealed class KnowledgeChunk : ITenantOwned
{
    /// <summary>Dimensions of the default local embedding model (all-MiniLM-L6-v2).</summary>
    public const int EmbeddingDimensions = 384;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public Guid DocumentId { get; set; }
    public int Ordinal { get; set; }
    public required string Content { get; set; }

    /// <summary>Where in the document the passage sits (page or heading path), shown with answers.</summary>
    public string? Location { get; set; }
    public Vector? Embedding { get; set; }

    /// <summary>Computed by PostgreSQL from <see cref="Content"/>.</summary>
    public NpgsqlTsVector SearchVector { get; set; } = null!;
}
