using LeadsPeer.Core.Tenancy;
using NpgsqlTypes;
using Pgvector;

namespace LeadsPeer.Core.Knowledge;

/// <summary>A passage of a document, with its embedding (pgvector) and full-text vector for hybrid search.</summary>
public sealed class KnowledgeChunk : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public Guid DocumentId { get; set; }
    public int Ordinal { get; set; }
    public required string Content { get; set; }

    /// <summary>Where in the document the passage sits (page or heading path), shown with answers.</summary>
    public string? Location { get; set; }
    public int TokenCount { get; set; }

    /// <summary>
    /// A <c>vector</c> of any dimension: the deployment's model decides it. Search goes through a
    /// partial HNSW index per dimension (<see cref="KnowledgeSchema"/>).
    /// </summary>
    public Vector? Embedding { get; set; }
    public int EmbeddingDimensions { get; set; }
    public required string EmbeddingModel { get; set; }

    /// <summary>Computed by PostgreSQL from <see cref="Content"/>.</summary>
    public NpgsqlTsVector SearchVector { get; set; } = null!;
}
