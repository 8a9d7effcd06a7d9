using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadsPeer.Core.Data.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.Property(a => a.Action).HasMaxLength(64);
        builder.Property(a => a.EntityType).HasMaxLength(64);
        builder.Property(a => a.Details).HasMaxLength(500);
        builder.Property(a => a.IpAddress).HasMaxLength(64);
        // The activity page reads a tenant's entries newest first, paged by (created_at, id).
        builder.HasIndex(a => new { a.TenantId, a.CreatedAt, a.Id }).IsDescending(false, true, true);
        builder.HasOne<Organization>().WithMany().HasForeignKey(a => a.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
