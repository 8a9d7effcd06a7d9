using LeadsPeer.Core.Knowledge;
using LeadsPeer.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadsPeer.Core.Data.Configurations;

internal sealed class KnowledgeDocumentConfiguration : IEntityTypeConfiguration<KnowledgeDocument>
{
    public void Configure(EntityTypeBuilder<KnowledgeDocument> builder)
    {
        builder.Property(d => d.FileName).HasMaxLength(260);
        builder.Property(d => d.ContentType).HasMaxLength(128);
        builder.Property(d => d.FailureReason).HasMaxLength(1000);
        builder.HasOne<Organization>().WithMany().HasForeignKey(d => d.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class KnowledgeChunkConfiguration : IEntityTypeConfiguration<KnowledgeChunk>
{
    public void Configure(EntityTypeBuilder<KnowledgeChunk> builder)
    {
        builder.Property(c => c.Location).HasMaxLength(500);
        builder.Property(c => c.Embedding).HasColumnType($"vector({KnowledgeChunk.EmbeddingDimensions})");
        // HNSW keeps nearest-neighbour search fast as a tenant's knowledge grows; cosine because
        // sentence embeddings are compared by angle.
        builder.HasIndex(c => c.Embedding).HasMethod("hnsw").HasOperators("vector_cosine_ops");
        // The keyword half of hybrid search; 'simple' keeps product codes and names intact
        // whatever the document's language.
        builder.HasGeneratedTsVectorColumn(c => c.SearchVector, "simple", c => new { c.Content })
            .HasIndex(c => c.SearchVector).HasMethod("gin");
        builder.HasIndex(c => new { c.DocumentId, c.Ordinal }).IsUnique();
        builder.HasOne<Organization>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<KnowledgeDocument>().WithMany().HasForeignKey(c => c.DocumentId).OnDelete(DeleteBehavior.Cascade);
    }
}
