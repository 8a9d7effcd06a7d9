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

internal sealed class ErasedCustomerConfiguration : IEntityTypeConfiguration<ErasedCustomer>
{
    public void Configure(EntityTypeBuilder<ErasedCustomer> builder)
    {
        builder.HasKey(e => e.Hash);
        builder.HasIndex(e => e.ExpiresAt);
    }
}
