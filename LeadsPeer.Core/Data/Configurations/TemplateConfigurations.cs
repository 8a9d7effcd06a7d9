using LeadsPeer.Core.Tenancy;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Core.WhatsApp.Sandbox;
using LeadsPeer.Core.WhatsApp.Templates;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadsPeer.Core.Data.Configurations;

internal sealed class MessageTemplateConfiguration : IEntityTypeConfiguration<MessageTemplate>
{
    public void Configure(EntityTypeBuilder<MessageTemplate> builder)
    {
        builder.Property(t => t.MetaId).HasMaxLength(64);
        builder.Property(t => t.Name).HasMaxLength(512);
        builder.Property(t => t.Language).HasMaxLength(16);
        builder.Property(t => t.StatusReason).HasMaxLength(500);
        builder.Property(t => t.Quality).HasMaxLength(16);
        builder.Property(t => t.Components).HasColumnType("jsonb");
        // Meta keys a template on name and language within its WABA.
        builder.HasIndex(t => new { t.ConnectionId, t.Name, t.Language }).IsUnique();
        builder.HasIndex(t => t.MetaId);
        builder.HasOne<Organization>().WithMany().HasForeignKey(t => t.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<WhatsAppConnection>().WithMany().HasForeignKey(t => t.ConnectionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SandboxTemplateConfiguration : IEntityTypeConfiguration<SandboxTemplate>
{
    public void Configure(EntityTypeBuilder<SandboxTemplate> builder)
    {
        builder.Property(t => t.WabaId).HasMaxLength(64);
        builder.Property(t => t.MetaId).HasMaxLength(64);
        builder.Property(t => t.Name).HasMaxLength(512);
        builder.Property(t => t.Language).HasMaxLength(16);
        builder.Property(t => t.Category).HasMaxLength(32);
        builder.Property(t => t.ParameterFormat).HasMaxLength(16);
        builder.Property(t => t.Decision).HasMaxLength(16);
        builder.Property(t => t.RejectedReason).HasMaxLength(500);
        builder.Property(t => t.Components).HasColumnType("jsonb");
        builder.HasIndex(t => new { t.WabaId, t.Name, t.Language }).IsUnique();
        builder.HasOne<Organization>().WithMany().HasForeignKey(t => t.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<WhatsAppConnection>().WithMany().HasForeignKey(t => t.ConnectionId).OnDelete(DeleteBehavior.Cascade);
    }
}
