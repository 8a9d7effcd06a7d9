using System.Globalization;
using LeadsPeer.Core.Catalog;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Ordering;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Orders;

/// <summary>A product and how many of it; the price is never part of it (it is read when priced).</summary>
public sealed record CartLine(Guid ProductId, int Quantity);

/// <summary>What a customer has chosen so far, kept in the ordering flow's state as <c>id*qty,id*qty</c>.</summary>
public static class Cart
{
    public static IReadOnlyList<CartLine> Read(string? text) =>
        string.IsNullOrEmpty(text) ? [] :
        [.. text.Split(',').Select(part => part.Split('*')).Where(p => p.Length == 2 && Guid.TryParse(p[0], out _) && int.TryParse(p[1], CultureInfo.InvariantCulture, out _))
            .Select(p => new CartLine(Guid.Parse(p[0]), int.Parse(p[1], CultureInfo.InvariantCulture)))];

    public static string Write(IEnumerable<CartLine> lines) =>
        string.Join(',', lines.Select(l => $"{l.ProductId:N}*{l.Quantity.ToString(CultureInfo.InvariantCulture)}"));

    /// <summary>The cart with <paramref name="quantity"/> more of a product (one line per product).</summary>
    public static IReadOnlyList<CartLine> Add(IReadOnlyList<CartLine> cart, Guid productId, int quantity) =>
        cart.Any(l => l.ProductId == productId)
            ? [.. cart.Select(l => l.ProductId == productId ? l with { Quantity = l.Quantity + quantity } : l)]
            : [.. cart, new CartLine(productId, quantity)];
}

/// <summary>
/// One priced line; <see cref="Problem"/> says why it cannot be ordered as it is (gone, switched
/// off, not enough left) and <see cref="Orderable"/> how many of it can be (null: no limit).
/// </summary>
public sealed record PricedLine(Guid ProductId, string Sku, string Title, long UnitPriceMinor, int Quantity, long LineTotalMinor, string? Problem, int? Orderable = null);

/// <summary>A cart priced from the catalog as it is now: the only totals a customer is ever shown or charged.</summary>
public sealed record PricedCart(IReadOnlyList<PricedLine> Lines, string Currency, long SubtotalMinor, long DeliveryFeeMinor, long TotalMinor)
{
    public IEnumerable<string> Problems => Lines.Select(l => l.Problem).OfType<string>();

    public string Format(long minor) => Money.Format(minor, Currency);

    /// <summary>Line by line with the total, as the customer is shown it (the fee only once delivery is chosen).</summary>
    public string Describe(bool withFee) => OrderingQuestions.Lines(this, withFee);

    /// <summary>The cart cut to what can be ordered: sold-out and unavailable items out, quantities down to what is left.</summary>
    public IReadOnlyList<CartLine> Orderable() =>
        [.. Lines.Select(l => new CartLine(l.ProductId, Math.Min(l.Quantity, l.Orderable ?? l.Quantity))).Where(l => l.Quantity > 0)];
}

/// <summary>Prices carts from PostgreSQL: the flow's summaries, the tools' <c>view_cart</c> and the order itself use it, so they agree.</summary>
public sealed class CartPricing(LeadsPeerDbContext db)
{
    public async Task<PricedCart> PriceAsync(IReadOnlyList<CartLine> cart, OrderingSettings settings, Fulfilment? fulfilment, CancellationToken cancellationToken)
    {
        var ids = cart.Select(l => l.ProductId).ToList();
        var products = await db.Products.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var parents = await db.Products.AsNoTracking().Where(p => products.Values.Select(v => v.ParentId).Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.Available, cancellationToken);
        var lines = new List<PricedLine>();
        foreach (var line in cart)
        {
            if (!products.TryGetValue(line.ProductId, out var product))
            {
                lines.Add(new PricedLine(line.ProductId, "", "An item", 0, line.Quantity, 0, "An item in the cart is no longer in the catalog.", 0));
                continue;
            }

            var title = Product.Title(product.Name, product.Variant);
            var offered = product.Available && !(product.ParentId is { } parent && !parents.GetValueOrDefault(parent));
            var problem = !offered
                ? $"{title} is not available at the moment."
                : product.Stock is { } left && left < line.Quantity
                    ? left == 0 ? $"{title} is sold out." : $"Only {left} of {title} {(left == 1 ? "is" : "are")} left."
                    : null;
            lines.Add(new PricedLine(product.Id, product.Sku, title, product.PriceMinor, line.Quantity, product.PriceMinor * line.Quantity, problem,
                offered ? product.Stock : 0));
        }

        var subtotal = lines.Sum(l => l.LineTotalMinor);
        var fee = fulfilment == Fulfilment.Delivery && !(settings.FreeDeliveryAboveMinor is { } free && subtotal >= free) ? settings.DeliveryFeeMinor : 0;
        return new PricedCart(lines, settings.Currency!, subtotal, fee, subtotal + fee);
    }
}
