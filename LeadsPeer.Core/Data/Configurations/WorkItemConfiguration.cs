using LeadsPeer.Core.Tenancy;
using LeadsPeer.Core.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadsPeer.Core.Data.Configurations;

internal sealed class WorkItemConfiguration : IEntityTypeConfiguration<WorkItem>
{
    public void Configure(EntityTypeBuilder<WorkItem> builder)
    {
        builder.Property(w => w.DedupeKey).HasMaxLength(200);
        builder.Property(w => w.LastError).HasMaxLength(1000);
        builder.HasIndex(w => new { w.Kind, w.DedupeKey }).IsUnique();
        // The sweeper's query: unfinished work that is due. A partial index stays small because
        // finished rows (the vast majority) are not in it.
        builder.HasIndex(w => new { w.State, w.DueAt })
            .HasFilter("state IN ('Pending', 'Running')");
        builder.HasOne<Organization>().WithMany().HasForeignKey(w => w.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
