using LeadsPeer.Core.Tenancy;
using LeadsPeer.Core.WhatsApp;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadsPeer.Core.Data.Configurations;

internal sealed class WhatsAppConnectionConfiguration : IEntityTypeConfiguration<WhatsAppConnection>
{
    public void Configure(EntityTypeBuilder<WhatsAppConnection> builder)
    {
        builder.Property(c => c.PhoneNumberId).HasMaxLength(64);
        builder.Property(c => c.WabaId).HasMaxLength(64);
        builder.Property(c => c.DisplayPhoneNumber).HasMaxLength(32);
        builder.Property(c => c.TokenKeyId).HasMaxLength(64);
        builder.Property(c => c.VerifiedName).HasMaxLength(256);
        builder.Property(c => c.QualityRating).HasMaxLength(16);
        builder.Property(c => c.StatusReason).HasMaxLength(500);
        // Webhooks find the tenant by phone_number_id, so a live number belongs to one tenant.
        // Removed connections keep their row (the conversation history points at it), so the
        // same number can be connected again — by this business or another.
        builder.HasIndex(c => c.PhoneNumberId).IsUnique().HasFilter("status <> 'Removed'");
        builder.HasOne<Organization>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
