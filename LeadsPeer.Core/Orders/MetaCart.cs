using System.Globalization;
using System.Text.Json.Nodes;
using LeadsPeer.Core.Catalog;

namespace LeadsPeer.Core.Orders;

/// <summary>
/// A cart the customer sent from the business's Meta catalog (an inbound <c>order</c> message):
/// its items matched to our SKUs (<c>product_retailer_id</c>). What Meta showed is never what is
/// charged: prices come from our catalog, and every difference — an item we do not have, a
/// price that changed, fewer left than asked for — is said before the customer confirms.
/// </summary>
internal static class MetaCart
{
    public sealed record Item(string Sku, int Quantity, decimal? ShownPrice, string? Currency);

    /// <summary>The items of the message's payload; empty when it has none that can be read.</summary>
    public static IReadOnlyList<Item> Read(string? payload)
    {
        if (payload is null || JsonNode.Parse(payload)?["order"]?["product_items"] is not JsonArray items)
        {
            return [];
        }

        return [.. items.OfType<JsonObject>()
            .Select(i => new Item(Text(i["product_retailer_id"]) ?? "", Number(i["quantity"]) is { } q ? (int)Math.Clamp(q, 0, CatalogLimits.MaxQuantity) : 0,
                Number(i["item_price"]), Text(i["currency"])))
            .Where(i => i.Sku.Length > 0 && i.Quantity > 0)];
    }

    /// <summary>The cart as we can sell it, and what the customer needs to know about the differences.</summary>
    public static (IReadOnlyList<CartLine> Cart, IReadOnlyList<string> Notes) Match(IReadOnlyList<Item> items, IReadOnlyList<OfferedProduct> offered, string currency)
    {
        var cart = new List<CartLine>();
        var notes = new List<string>();
        foreach (var item in items)
        {
            var product = offered.FirstOrDefault(p => p.Sku == item.Sku);
            if (product is null || product.HasVariants)
            {
                notes.Add(product is null ? $"We don't have {item.Sku} at the moment." : $"Please choose the option of {product.Title} from our list.");
                continue;
            }

            var quantity = product.Stock is { } left ? Math.Min(left, item.Quantity) : item.Quantity;
            if (quantity < item.Quantity)
            {
                notes.Add(quantity == 0 ? $"{product.Title} is sold out." : $"Only {quantity} of {product.Title} {(quantity == 1 ? "is" : "are")} left.");
            }

            if (item.ShownPrice is { } shown && (item.Currency != currency || Money.ToMinor(shown, currency).Minor != product.PriceMinor))
            {
                notes.Add($"{product.Title} is {Money.Format(product.PriceMinor, currency)} each.");
            }

            if (quantity > 0)
            {
                cart = [.. Cart.Add(cart, product.Id, quantity)];
            }
        }

        return (cart, notes);
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text.Trim() : node?.ToString();

    private static decimal? Number(JsonNode? node) =>
        node is JsonValue value && (value.TryGetValue<decimal>(out var number)
            || (value.TryGetValue<string>(out var text) && decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number)))
            ? number
            : null;
}
