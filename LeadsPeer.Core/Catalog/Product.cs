using LeadsPeer.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NpgsqlTypes;

namespace LeadsPeer.Core.Catalog;

/// <summary>
/// Something the business sells. A product with options (a cake in 1 kg and 2 kg) is a parent
/// whose variants are products of their own, each with its SKU, price and stock; the parent is
/// what a customer picks from a list, a variant is what goes in the cart. Prices are in the
/// organisation's currency (<see cref="Ordering.OrderingSettings.Currency"/>), in minor units.
/// </summary>
public sealed class Product : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid TenantId { get; set; }

    /// <summary>The business's own code, unique in the organisation; Meta catalog carts name products by it (<c>product_retailer_id</c>).</summary>
    public required string Sku { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    public string? Category { get; set; }

    public long PriceMinor { get; set; }

    public string? ImageUrl { get; set; }

    /// <summary>Off: kept in the catalog, not offered (sold out for the day, out of season).</summary>
    public bool Available { get; set; } = true;

    /// <summary>How many are left; null when the business does not count (made to order). Only <see cref="Orders.OrderBook"/> lowers it, with a conditional update.</summary>
    public int? Stock { get; set; }

    /// <summary>The product this is an option of; null for a product of its own.</summary>
    public Guid? ParentId { get; set; }

    /// <summary>The option's name ("2 kg"); set exactly when <see cref="ParentId"/> is.</summary>
    public string? Variant { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public NpgsqlTsVector SearchVector { get; set; } = null!;

    /// <summary>The name a customer reads on a cart line: "Chocolate fudge cake (2 kg)".</summary>
    public static string Title(string name, string? variant) => variant is null ? name : $"{name} ({variant})";
}

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> builder)
    {
        builder.Property(p => p.Sku).HasMaxLength(CatalogLimits.Sku);
        builder.Property(p => p.Name).HasMaxLength(CatalogLimits.Name);
        builder.Property(p => p.Description).HasMaxLength(CatalogLimits.Description);
        builder.Property(p => p.Category).HasMaxLength(CatalogLimits.Category);
        builder.Property(p => p.Variant).HasMaxLength(CatalogLimits.Variant);
        builder.Property(p => p.ImageUrl).HasMaxLength(CatalogLimits.Url);
        builder.HasIndex(p => new { p.TenantId, p.Sku }).IsUnique();
        builder.HasIndex(p => new { p.TenantId, p.Category });
        builder.HasIndex(p => p.ParentId);
        builder.ToTable(t => t.HasCheckConstraint("ck_products_stock", "stock IS NULL OR stock >= 0"));
        // Without GIN's pending list: a catalog is written rarely and searched on every typed
        // item, and a freshly imported catalog would otherwise be scanned row by row until vacuum.
        builder.HasGeneratedTsVectorColumn(p => p.SearchVector, "simple", p => new { p.Name, p.Variant, p.Category, p.Sku })
            .HasIndex(p => p.SearchVector).HasMethod("gin").HasStorageParameter("fastupdate", false);
        builder.HasOne<Organization>().WithMany().HasForeignKey(p => p.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Product>().WithMany().HasForeignKey(p => p.ParentId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Lengths a catalog's fields may have (WhatsApp shows a list row's title in 24 characters and its description in 72).</summary>
public static class CatalogLimits
{
    public const int Sku = 64;
    public const int Name = 120;
    public const int Description = 1000;
    public const int Category = 60;
    public const int Variant = 40;
    public const int Url = 500;
    public const int MaxQuantity = 99;
}
