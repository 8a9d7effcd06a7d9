using LeadsPeer.Core.Catalog;
using LeadsPeer.Core.Conversations.Interactive;
using LeadsPeer.Core.Ordering;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.WhatsApp.Sandbox;

/// <summary>The sandbox's Meta catalog: the organisation's own products, under the id its ordering settings name or this one.</summary>
public static class SandboxCatalogs
{
    public const string Id = "sandbox-catalog";

    /// <summary>The most items a cart sent from the phone holds (Meta's product messages show 30 at most, too).</summary>
    public const int MaxItems = InteractiveLimits.MaxProducts;
}

/// <summary>A product as the customer's WhatsApp shows it in the business's catalog: the SKU a cart names, and the catalog's price.</summary>
public sealed record SandboxCatalogItem(string Sku, string Title, string Price, int? Stock);

/// <summary>One line of a cart the sandbox customer sends.</summary>
public sealed record SandboxCartItem(string? Sku, int Quantity);

/// <summary>
/// The catalog side of the sandbox customer's phone: the business's products as WhatsApp shows a
/// linked catalog (what can be added to a cart: products without options, and each option), and
/// a cart sent from it as Meta delivers one (an <c>order</c> message), so ordering from a catalog
/// can be tried without a Meta catalog.
/// </summary>
public sealed partial class SandboxPhone
{
    /// <summary>The most products the phone's catalog shows.</summary>
    public const int CatalogSize = 100;

    /// <summary>What can be put in a cart: every orderable product, or those a product message showed (<paramref name="skus"/>, in its order).</summary>
    public async Task<Outcome<IReadOnlyList<SandboxCatalogItem>>> CatalogAsync(Guid connectionId, IReadOnlyList<string>? skus, CancellationToken cancellationToken)
    {
        if (await FindAsync(connectionId, cancellationToken) is null)
        {
            return UseCaseError.NotFound("No such sandbox number in this organisation.");
        }

        if (await OrderingAsync(cancellationToken) is not { } settings)
        {
            return NoCatalog;
        }

        // What the ordering flow's product lists offer, read by the same query.
        var (offered, _) = await catalog.OrderableAsync(null, CatalogSize, cancellationToken, skus);
        var items = offered.Select(p => new SandboxCatalogItem(p.Sku, p.Title, Money.Format(p.PriceMinor, settings.Currency!), p.Stock));
        if (skus is null)
        {
            return items.ToList();
        }

        var shown = skus.Distinct().Select((sku, index) => (sku, index)).ToDictionary(s => s.sku, s => s.index);
        return items.OrderBy(i => shown[i.Sku]).ToList();
    }

    /// <summary>
    /// Sends a cart as the simulated customer: an <c>order</c> webhook naming each SKU with its
    /// quantity and the catalog's price, as Meta delivers a cart. SKUs must be in the catalog; what
    /// is charged is decided by the ordering flow, from the catalog, never from this message.
    /// </summary>
    public async Task<Outcome<SandboxCustomerMessageSent>> SendCartAsCustomerAsync(
        Guid connectionId, IReadOnlyList<SandboxCartItem>? items, string? from, string? name, CancellationToken cancellationToken)
    {
        if (items is not { Count: > 0 } || items.Count > SandboxCatalogs.MaxItems)
        {
            return UseCaseError.Invalid("cart", $"A cart holds 1 to {SandboxCatalogs.MaxItems} items.");
        }

        if (items.FirstOrDefault(i => i.Quantity is < 1 or > CatalogLimits.MaxQuantity) is { } wrong)
        {
            return UseCaseError.Invalid("cart", $"Each item's quantity is 1 to {CatalogLimits.MaxQuantity}; {wrong.Sku} has {wrong.Quantity}.");
        }

        if (items.Any(i => string.IsNullOrWhiteSpace(i.Sku)) || items.GroupBy(i => i.Sku).Any(g => g.Count() > 1))
        {
            return UseCaseError.Invalid("cart", "Each item names a SKU, once.");
        }

        var customer = from ?? DefaultCustomer;
        if (!IsNumber(customer))
        {
            return UseCaseError.Invalid("from", "The customer's number is 6 to 15 digits, without + or spaces.");
        }

        if (await FindAsync(connectionId, cancellationToken) is not { } connection)
        {
            return UseCaseError.NotFound("No such sandbox number in this organisation.");
        }

        if (await OrderingAsync(cancellationToken) is not { } settings)
        {
            return NoCatalog;
        }

        var skus = items.Select(i => i.Sku!).ToList();
        var prices = await db.Products.AsNoTracking().Where(p => skus.Contains(p.Sku)).ToDictionaryAsync(p => p.Sku, p => p.PriceMinor, cancellationToken);
        if (skus.FirstOrDefault(s => !prices.ContainsKey(s)) is { } unknown)
        {
            return UseCaseError.Invalid("cart", $"The catalog has no product with the SKU {unknown}.");
        }

        var wamid = SimulatedWebhooks.NewWamid();
        var payload = SimulatedWebhooks.CustomerOrder(connection, customer, name ?? DefaultCustomerName, wamid, settings.MetaCatalogId ?? SandboxCatalogs.Id,
            items.Select(i => (i.Sku!, i.Quantity, Money.ToAmount(prices[i.Sku!], settings.Currency!), settings.Currency!)), time.GetUtcNow());
        return await PostAsync(payload, wamid, customer, cancellationToken);
    }

    private static UseCaseError NoCatalog => UseCaseError.Conflict(
        "This business takes no orders on WhatsApp yet: switch ordering on (Catalog → Ordering settings) to try its catalog from the phone.");

    private Task<OrderingSettings?> OrderingAsync(CancellationToken cancellationToken) =>
        db.OrderingSettings.AsNoTracking().Where(s => s.Enabled && s.Currency != null).SingleOrDefaultAsync(cancellationToken);
}
