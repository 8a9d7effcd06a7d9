using LeadsPeer.Core.Agent;
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
        builder.Property(d => d.Question).HasMaxLength(KnowledgeLimits.MaxQuestionLength);
        builder.Property(d => d.Answer).HasMaxLength(KnowledgeLimits.MaxAnswerLength);
        builder.Property(d => d.EmbeddingModel).HasMaxLength(200);
        builder.HasIndex(d => new { d.TenantId, d.Kind, d.CreatedAt });
        builder.HasOne<Organization>().WithMany().HasForeignKey(d => d.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class KnowledgeChunkConfiguration : IEntityTypeConfiguration<KnowledgeChunk>
{
    public void Configure(EntityTypeBuilder<KnowledgeChunk> builder)
    {
        // The table is partitioned by a hash of the tenant (migration KnowledgeChunksByTenant), and
        // PostgreSQL wants the partition key in every unique constraint: the key and the ordinal's
        // uniqueness lead with the tenant. The id alone is unique all the same (a UUIDv7).
        builder.HasKey(c => new { c.TenantId, c.Id });
        builder.Property(c => c.Location).HasMaxLength(500);
        builder.Property(c => c.EmbeddingModel).HasMaxLength(200);
        // Untyped: the dimension belongs to the deployment's model. The HNSW index per dimension
        // is a partial expression index (KnowledgeSchema), made by migrations for the default
        // 384 and by the Worker at start-up for any other.
        builder.Property(c => c.Embedding).HasColumnType("vector");
        // The keyword half of hybrid search; 'simple' keeps product codes and names intact
        // whatever the document's language.
        builder.HasGeneratedTsVectorColumn(c => c.SearchVector, KnowledgeSchema.TextSearchConfig, c => new { c.Content })
            .HasIndex(c => c.SearchVector).HasMethod("gin");
        builder.HasIndex(c => new { c.TenantId, c.DocumentId, c.Ordinal }).IsUnique();
        builder.HasOne<Organization>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<KnowledgeDocument>().WithMany().HasForeignKey(c => c.DocumentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AgentSettingsConfiguration : IEntityTypeConfiguration<AgentSettings>
{
    public void Configure(EntityTypeBuilder<AgentSettings> builder)
    {
        builder.HasKey(s => s.TenantId);
        builder.Property(s => s.BusinessName).HasMaxLength(AgentLimits.ShortText);
        builder.Property(s => s.Domain).HasMaxLength(AgentLimits.LongText);
        builder.Property(s => s.Tone).HasMaxLength(AgentLimits.ShortText);
        builder.Property(s => s.ReplyLanguage).HasMaxLength(64);
        builder.Property(s => s.ExtraInstructions).HasMaxLength(AgentLimits.LongText);
        builder.Property(s => s.HandoffMessage).HasMaxLength(AgentLimits.MessageText);
        builder.Property(s => s.Greeting).HasMaxLength(AgentLimits.MessageText);
        builder.Property(s => s.DeclineMessage).HasMaxLength(AgentLimits.MessageText);
        builder.Property(s => s.UnansweredMessage).HasMaxLength(AgentLimits.MessageText);
        builder.Property(s => s.FlowTriggers).HasColumnType("jsonb");
        builder.Property(s => s.Synonyms).HasColumnType("jsonb");
        builder.HasOne<Organization>().WithOne().HasForeignKey<AgentSettings>(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
