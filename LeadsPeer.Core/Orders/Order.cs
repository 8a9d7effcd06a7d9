using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Ordering;
using LeadsPeer.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadsPeer.Core.Orders;

public enum OrderStatus
{
    New,
    Confirmed,
    Preparing,
    Ready,
    OutForDelivery,
    Completed,
    Cancelled,
}

public enum Fulfilment
{
    Delivery,
    Pickup,
}

/// <summary>
/// A customer's order: what they bought at the prices of the moment they confirmed, how it
/// reaches them, how they pay, and where it stands. Lines copy each product's name and price,
/// so editing or deleting a product never changes an order. Only <see cref="OrderBook"/> writes
/// its status (<see cref="OrderLifecycle"/> says which moves are allowed).
/// </summary>
public sealed class Order : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid TenantId { get; set; }

    /// <summary>What a person reads out: the organisation's prefix and its next number ("GTB-1042"), unique in the organisation.</summary>
    public required string Reference { get; set; }

    /// <summary>The cart the order was placed from, unique: a second Confirm of the same cart finds this order instead of making another.</summary>
    public Guid CartId { get; init; }

    /// <summary>Null once the customer was erased: the order stays in the business's books without them.</summary>
    public Guid? ContactId { get; set; }

    public Guid? ConversationId { get; set; }

    /// <summary>The customer's WhatsApp profile name when they ordered (shown on the Orders page); null once erased.</summary>
    public string? CustomerName { get; set; }

    public OrderStatus Status { get; set; }

    public Fulfilment Fulfilment { get; set; }

    public string? DeliveryArea { get; set; }

    /// <summary>Where to deliver, as the customer typed it; null once erased.</summary>
    public string? Address { get; set; }

    /// <summary>When the customer will collect, in their words ("Friday 5 pm").</summary>
    public string? PickupTime { get; set; }

    public PaymentMethod PaymentMethod { get; set; }

    public required string Currency { get; set; }

    public long SubtotalMinor { get; set; }

    public long DeliveryFeeMinor { get; set; }

    public long TotalMinor { get; set; }

    public string? CancelReason { get; set; }

    /// <summary>Why the customer did not hear of the last status change (opted out, window closed and no template); null when they did.</summary>
    public string? NotNotifiedReason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<OrderLine> Lines { get; init; } = [];
}

/// <summary>One line of an order, as it was when the customer confirmed.</summary>
public sealed class OrderLine : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid TenantId { get; set; }

    public Guid OrderId { get; init; }

    /// <summary>The product it came from; null once the product was deleted (the line keeps its name and price).</summary>
    public Guid? ProductId { get; set; }

    public required string Sku { get; init; }

    public required string Name { get; init; }

    public long UnitPriceMinor { get; init; }

    public int Quantity { get; init; }

    public long LineTotalMinor { get; init; }
}

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> builder)
    {
        builder.Property(o => o.Reference).HasMaxLength(24);
        builder.Property(o => o.CustomerName).HasMaxLength(256);
        builder.Property(o => o.DeliveryArea).HasMaxLength(Catalog.CatalogLimits.Name);
        builder.Property(o => o.Address).HasMaxLength(OrderingLimits.Address);
        builder.Property(o => o.PickupTime).HasMaxLength(Catalog.CatalogLimits.Name);
        builder.Property(o => o.Currency).HasMaxLength(3);
        builder.Property(o => o.CancelReason).HasMaxLength(OrderingLimits.Text);
        builder.Property(o => o.NotNotifiedReason).HasMaxLength(OrderingLimits.Text);
        builder.HasIndex(o => new { o.TenantId, o.Reference }).IsUnique();
        builder.HasIndex(o => new { o.TenantId, o.CartId }).IsUnique();
        builder.HasIndex(o => new { o.TenantId, o.Status, o.CreatedAt });
        builder.HasIndex(o => o.ContactId);
        builder.HasOne<Organization>().WithMany().HasForeignKey(o => o.TenantId).OnDelete(DeleteBehavior.Cascade);
        // The books outlive the conversation: a deleted conversation or erased customer leaves the order, unlinked.
        builder.HasOne<Contact>().WithMany().HasForeignKey(o => o.ContactId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Conversation>().WithMany().HasForeignKey(o => o.ConversationId).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(o => o.Lines).WithOne().HasForeignKey(l => l.OrderId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OrderLineConfiguration : IEntityTypeConfiguration<OrderLine>
{
    public void Configure(EntityTypeBuilder<OrderLine> builder)
    {
        builder.Property(l => l.Sku).HasMaxLength(Catalog.CatalogLimits.Sku);
        builder.Property(l => l.Name).HasMaxLength(Catalog.CatalogLimits.Name + Catalog.CatalogLimits.Variant + 3);
        builder.HasOne<Catalog.Product>().WithMany().HasForeignKey(l => l.ProductId).OnDelete(DeleteBehavior.SetNull);
    }
}
