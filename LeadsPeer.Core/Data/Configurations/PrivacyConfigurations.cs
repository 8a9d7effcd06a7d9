using LeadsPeer.Core.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadsPeer.Core.Data.Configurations;

internal sealed class ErasedMessageConfiguration : IEntityTypeConfiguration<ErasedMessage>
{
    public void Configure(EntityTypeBuilder<ErasedMessage> builder)
    {
        builder.HasKey(e => e.Hash);
        // Retention deletes what has expired.
        builder.HasIndex(e => e.ExpiresAt);
    }
}

internal sealed class OrganizationExportConfiguration : IEntityTypeConfiguration<OrganizationExport>
{
    public void Configure(EntityTypeBuilder<OrganizationExport> builder)
    {
        builder.Property(e => e.FailureReason).HasMaxLength(500);
        // One export being built per organisation: two Owners asking at once get one, not two.
        builder.HasIndex(e => e.TenantId, "OneInProgress").IsUnique().HasFilter("state IN ('Pending', 'Running')").HasDatabaseName("ux_organization_exports_one_in_progress");
        builder.HasOne<Tenancy.Organization>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ErasedCustomerConfiguration : IEntityTypeConfiguration<ErasedCustomer>
{
    public void Configure(EntityTypeBuilder<ErasedCustomer> builder)
    {
        builder.HasKey(e => e.Hash);
        builder.HasIndex(e => e.ExpiresAt);
    }
}
