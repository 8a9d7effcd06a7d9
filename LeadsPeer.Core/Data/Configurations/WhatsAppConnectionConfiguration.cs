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
        // Webhooks find the tenant by phone_number_id, so one number belongs to one tenant.
        builder.HasIndex(c => c.PhoneNumberId).IsUnique();
        builder.HasOne<Organization>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
