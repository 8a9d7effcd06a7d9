using LeadsPeer.Core.Tenancy;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Core.WhatsApp.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadsPeer.Core.Data.Configurations;

internal sealed class SandboxMessageConfiguration : IEntityTypeConfiguration<SandboxMessage>
{
    public void Configure(EntityTypeBuilder<SandboxMessage> builder)
    {
        builder.Property(m => m.WaMessageId).HasMaxLength(256);
        builder.Property(m => m.Recipient).HasMaxLength(128);
        builder.Property(m => m.Type).HasMaxLength(32);
        builder.Property(m => m.Body).HasColumnType("jsonb");
        builder.HasIndex(m => new { m.ConnectionId, m.Recipient, m.CreatedAt });
        builder.HasOne<Organization>().WithMany().HasForeignKey(m => m.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<WhatsAppConnection>().WithMany().HasForeignKey(m => m.ConnectionId).OnDelete(DeleteBehavior.Cascade);
    }
}
