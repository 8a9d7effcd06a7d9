using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Ordering;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Catalog;

/// <summary>
/// The catalog's use cases: list, add, change and remove products. Every member may read the
/// catalog (operators answer questions about it); changing it takes
/// <see cref="Permission.ManageCatalog"/>. Orders keep their own copy of what was bought, so a
/// change here never rewrites an order.
/// </summary>
public sealed class CatalogService(LeadsPeerDbContext db, CurrentMember member, AuditLog audit, TimeProvider time)
{
    public const int PageSize = 100;

    /// <summary>The products (variants beside their product), oldest first, filtered by words of their name, SKU or category.</summary>
    public async Task<Outcome<ProductPage>> ListAsync(string? search, string? category, string? cursor, CancellationToken cancellationToken)
    {
        if (!KeysetCursor.TryRead(cursor, out var position))
        {
            return UseCaseError.Invalid("cursor", "The cursor is not one this list handed out.");
        }

        var currency = await CurrencyAsync(cancellationToken);
        var query = db.Products.AsNoTracking();
        if (CatalogQueries.TsQuery(search) is { } words)
        {
            query = query.Where(p => p.SearchVector.Matches(EF.Functions.ToTsQuery("simple", words)));
        }

        if (ProductRules.Clean(category) is { } named)
        {
            query = query.Where(p => p.Category == named);
        }

        if (position is { } after)
        {
            query = query.Where(p => p.CreatedAt > after.At || (p.CreatedAt == after.At && p.Id.CompareTo(after.Id) > 0));
        }

        var rows = await query.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).Take(PageSize + 1).ToListAsync(cancellationToken);
        var next = rows.Count > PageSize ? KeysetCursor.Write(0, rows[PageSize - 1].CreatedAt, rows[PageSize - 1].Id) : null;
        return new ProductPage([.. rows.Take(PageSize).Select(p => ProductView.Of(p, currency))], next);
    }

    public async Task<Outcome<ProductView>> GetAsync(Guid id, CancellationToken cancellationToken) =>
        await db.Products.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken) is { } product
            ? ProductView.Of(product, await CurrencyAsync(cancellationToken))
            : NotFound;

    public Task<Outcome<ProductView>> CreateAsync(ProductInput input, CancellationToken cancellationToken) =>
        WriteAsync(null, input, cancellationToken);

    public Task<Outcome<ProductView>> UpdateAsync(Guid id, ProductInput input, CancellationToken cancellationToken) =>
        WriteAsync(id, input, cancellationToken);

    /// <summary>Offered to customers or not (the dashboard's availability switch).</summary>
    public async Task<Outcome<ProductView>> SetAvailableAsync(Guid id, bool available, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ManageCatalog) is { } refused)
        {
            return refused;
        }

        if (await db.Products.SingleOrDefaultAsync(p => p.Id == id, cancellationToken) is not { } product)
        {
            return NotFound;
        }

        product.Available = available;
        product.UpdatedAt = time.GetUtcNow();
        audit.Record(available ? "catalog.product.available" : "catalog.product.unavailable", nameof(Product), product.Id, product.Sku);
        await db.SaveChangesAsync(cancellationToken);
        return ProductView.Of(product, await CurrencyAsync(cancellationToken));
    }

    /// <summary>Removes a product and its options; orders keep their lines.</summary>
    public async Task<Outcome<bool>> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ManageCatalog) is { } refused)
        {
            return refused;
        }

        if (await db.Products.SingleOrDefaultAsync(p => p.Id == id, cancellationToken) is not { } product)
        {
            return NotFound;
        }

        db.Products.Remove(product);
        audit.Record("catalog.product.deleted", nameof(Product), product.Id, product.Sku);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private async Task<Outcome<ProductView>> WriteAsync(Guid? id, ProductInput input, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ManageCatalog) is { } refused)
        {
            return refused;
        }

        var product = id is { } existing ? await db.Products.SingleOrDefaultAsync(p => p.Id == existing, cancellationToken) : null;
        if (id is not null && product is null)
        {
            return NotFound;
        }

        var settings = await db.OrderingSettings.SingleOrDefaultAsync(cancellationToken);
        var (errors, priceMinor) = ProductRules.Check(input, settings?.Currency);
        var sku = input.Sku?.Trim();
        Product? parent = null;
        if (errors.Count == 0 && ProductRules.Clean(input.ParentSku) is { } parentSku)
        {
            parent = await db.Products.AsNoTracking().SingleOrDefaultAsync(p => p.Sku == parentSku, cancellationToken);
            if (parent is null || parent.ParentId is not null || parent.Id == product?.Id)
            {
                errors["parentSku"] = [parent is null ? $"There is no product with SKU '{parentSku}'." : "An option belongs to a product, not to another option."];
            }
            else if (product is not null && await db.Products.AnyAsync(p => p.ParentId == product.Id, cancellationToken))
            {
                errors["parentSku"] = ["This product has options of its own, so it cannot become an option."];
            }
        }

        if (errors.Count > 0)
        {
            return new UseCaseError(FailureKind.Invalid, "The product is not valid.", errors);
        }

        if (await db.Products.AnyAsync(p => p.Sku == sku && p.Id != (product == null ? Guid.Empty : product.Id), cancellationToken))
        {
            return UseCaseError.Conflict($"Another product has the SKU '{sku}'.");
        }

        var now = time.GetUtcNow();
        if (product is null)
        {
            product = db.Products.Add(new Product { Sku = sku!, Name = "", CreatedAt = now }).Entity;
        }

        product.Sku = sku!;
        product.Name = input.Name!.Trim();
        product.Description = ProductRules.Clean(input.Description);
        product.Category = ProductRules.Clean(input.Category) ?? parent?.Category;
        product.PriceMinor = priceMinor;
        product.ImageUrl = ProductRules.Clean(input.ImageUrl);
        product.Available = input.Available ?? true;
        product.Stock = input.Stock;
        product.ParentId = parent?.Id;
        product.Variant = parent is null ? null : ProductRules.Clean(input.Variant);
        product.UpdatedAt = now;
        var currency = AdoptCurrency(settings, input.Currency);
        audit.Record(id is null ? "catalog.product.created" : "catalog.product.updated", nameof(Product), product.Id, product.Sku);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (StoreErrors.IsUniqueViolation(ex))
        {
            db.ChangeTracker.Clear();
            return UseCaseError.Conflict($"Another product has the SKU '{sku}'.");
        }

        return ProductView.Of(product, currency);
    }

    /// <summary>The organisation's currency; the first priced product sets it when the settings have none.</summary>
    internal string AdoptCurrency(OrderingSettings? settings, string? currency)
    {
        if (settings?.Currency is { } set)
        {
            return set;
        }

        if (settings is null)
        {
            settings = db.OrderingSettings.Add(OrderingSettingsService.Defaults(member.OrganizationId!.Value)).Entity;
        }

        settings.Currency = currency;
        return currency!;
    }

    private Task<string?> CurrencyAsync(CancellationToken cancellationToken) =>
        db.OrderingSettings.Select(s => s.Currency).SingleOrDefaultAsync(cancellationToken);

    private static UseCaseError NotFound => UseCaseError.NotFound("There is no such product.");
}
