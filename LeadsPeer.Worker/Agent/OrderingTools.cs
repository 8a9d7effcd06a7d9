using System.ComponentModel;
using LeadsPeer.Core.Catalog;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Orders;
using LeadsPeer.Core.Ordering;
using Microsoft.SemanticKernel;

namespace LeadsPeer.Worker.Agent;

/// <summary>
/// The ordering tools a language model may call during one turn, over the same Core services as
/// the guided ordering flow: <see cref="CatalogQueries"/> finds products, <see cref="CartPricing"/>
/// prices the cart, <see cref="OrderLookup"/> answers for the customer's own orders. Nothing here
/// places an order: a cart the model built is handed to the ordering flow, where the customer
/// sees the server's lines and total and confirms. Every result is kept, so the model's own
/// words can be checked against them (a price it names must be one a tool returned).
/// </summary>
public sealed class OrderingTools(CatalogQueries catalog, CartPricing pricing, OrderLookup lookup, OrderingSettings settings, Conversation conversation)
{
    public const string PluginName = "ordering";

    private const int Found = 8;
    private IReadOnlyList<CartLine> _cart = [];
    private readonly List<string> _results = [];

    /// <summary>The cart built in this turn.</summary>
    public IReadOnlyList<CartLine> Cart => _cart;

    /// <summary>The model asked to take the cart to checkout.</summary>
    public bool CheckoutAsked { get; private set; }

    /// <summary>The model asked to show the customer the catalog to order from (nothing named yet).</summary>
    public bool OrderingAsked { get; private set; }

    /// <summary>The turn goes on in the ordering flow: a cart to show or check out, or the catalog to pick from.</summary>
    public bool HandsToFlow => _cart.Count > 0 || OrderingAsked;

    /// <summary>What the tools answered in this turn: the facts the model may repeat.</summary>
    public IReadOnlyList<string> Results => _results;

    [KernelFunction("search_products"), Description("Find this business's products by words (name, option, category). Returns each product's SKU, name, price and what is left; quote prices only from here.")]
    public async Task<string> SearchProductsAsync([Description("What the customer is looking for, in a few words.")] string query, CancellationToken cancellationToken)
    {
        var found = await catalog.SearchAsync(query ?? "", Found, cancellationToken);
        var lines = new List<string>();
        foreach (var product in found)
        {
            if (product.HasVariants)
            {
                lines.Add($"{product.Title} comes in options:");
                lines.AddRange((await catalog.VariantsAsync(product.Id, cancellationToken)).Select(v => $"  {Line(v)}"));
            }
            else
            {
                lines.Add(Line(product));
            }
        }

        return Keep(lines.Count == 0 ? $"No product matches \"{Cut(query)}\"." : string.Join("\n", lines));
    }

    [KernelFunction("add_to_cart"), Description("Add a product to the customer's cart by its SKU (from search_products). Returns the cart as priced by the business.")]
    public async Task<string> AddToCartAsync(
        [Description("The product's SKU exactly as search_products gave it.")] string sku,
        [Description("How many, 1 to 99.")] int quantity,
        CancellationToken cancellationToken)
    {
        if (quantity is < 1 or > CatalogLimits.MaxQuantity)
        {
            return Keep($"The quantity must be 1 to {CatalogLimits.MaxQuantity}.");
        }

        var product = (await catalog.BySkuAsync([sku ?? ""], cancellationToken)).SingleOrDefault();
        if (product is null)
        {
            return Keep($"No product with the SKU \"{Cut(sku)}\" is offered: search first.");
        }

        if (product.HasVariants)
        {
            return Keep($"{product.Title} comes in options: add one of them by its own SKU (search_products lists them).");
        }

        _cart = Core.Orders.Cart.Add(_cart, product.Id, quantity);
        var priced = await pricing.PriceAsync(_cart, settings, null, cancellationToken);
        var problems = string.Join(" ", priced.Problems);
        if (problems.Length > 0)
        {
            // Never more than can be sold: the cart keeps what is left, and the model is told why.
            _cart = priced.Orderable();
            priced = await pricing.PriceAsync(_cart, settings, null, cancellationToken);
        }

        return Keep($"{problems} {(_cart.Count == 0 ? "The cart is empty." : $"The cart now:\n{priced.Describe(withFee: false)}")}".Trim());
    }

    [KernelFunction("view_cart"), Description("The customer's cart in this conversation, priced by the business.")]
    public async Task<string> ViewCartAsync(CancellationToken cancellationToken) =>
        Keep(_cart.Count == 0 ? "The cart is empty." : (await pricing.PriceAsync(_cart, settings, null, cancellationToken)).Describe(withFee: false));

    [KernelFunction("checkout"), Description("The customer has everything they want: take the cart to checkout, where they see the total, choose delivery or pickup and payment, and confirm.")]
    public string Checkout()
    {
        if (_cart.Count == 0)
        {
            return Keep("The cart is empty: add products first.");
        }

        CheckoutAsked = true;
        return Keep("Done: the customer now sees the cart with the total and is asked how to receive it and how to pay. Say nothing more about the order.");
    }

    [KernelFunction("start_ordering"), Description("The customer wants to order but has not said what: show them the catalog's categories and products to pick from. When they named products, search and add_to_cart instead.")]
    public string StartOrdering()
    {
        OrderingAsked = true;
        return Keep("Done: the customer is now shown the catalog to pick from. Say nothing more about the order.");
    }

    [KernelFunction("order_status"), Description("The status of the customer's own orders: the one with this reference, or their latest ones.")]
    public async Task<string> OrderStatusAsync([Description("The order's reference, such as GTB-1042; empty for the latest orders.")] string? reference = null, CancellationToken cancellationToken = default) =>
        Keep(await lookup.StatusAsync(conversation, reference, cancellationToken));

    private string Line(OfferedProduct product) =>
        $"SKU {product.Sku}: {product.Title} — {Money.Format(product.PriceMinor, settings.Currency!)}" + (product.Stock is { } left ? $" ({left} left)" : "");

    private string Keep(string result)
    {
        _results.Add(result);
        return result;
    }

    private static string Cut(string? text) => text is null ? "" : text.Length <= 40 ? text : text[..40];
}
