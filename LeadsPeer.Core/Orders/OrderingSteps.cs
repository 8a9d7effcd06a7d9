using System.Globalization;
using LeadsPeer.Core.Catalog;
using LeadsPeer.Core.Conversations.Interactive;
using LeadsPeer.Core.Flows;
using LeadsPeer.Core.Ordering;
using static LeadsPeer.Core.Flows.FlowMessages;
using static LeadsPeer.Core.Orders.OrderingQuestions;
using Keys = LeadsPeer.Core.Orders.OrderingKeys;
using Steps = LeadsPeer.Core.Orders.OrderingStepNames;

namespace LeadsPeer.Core.Orders;

/// <summary>The ordering flow's steps.</summary>
public static class OrderingStepNames
{
    public const string Category = "category";
    public const string Product = "product";
    public const string Variant = "variant";
    public const string Quantity = "quantity";
    public const string Cart = "cart";
    public const string Change = "change";
    public const string Fulfilment = "fulfilment";
    public const string Area = "area";
    public const string Address = "address";
    public const string Pickup = "pickup";
    public const string Payment = "payment";
    public const string Confirm = "confirm";
}

/// <summary>What the ordering flow keeps in its state (and the choice ids of its buttons).</summary>
internal static class OrderingKeys
{
    public const string CartId = "cart_id";
    public const string Cart = "cart";
    public const string Category = "category";
    public const string Product = "product";
    public const string Item = "item";
    public const string Fulfilment = "fulfilment";
    public const string Area = "area";
    public const string Address = "address";
    public const string PickupTime = "pickup";
    public const string Payment = "payment";
    public const string Quoted = "quoted";

    public const string Delivery = "delivery";
    public const string Pickup = "pickup";
    public const string Add = "add";
    public const string Checkout = "checkout";
    public const string Change = "change";
    public const string Empty = "empty";
}

/// <summary>Asks each step's question from the state and the catalog as it is now.</summary>
internal sealed class OrderingSteps(CatalogQueries catalog, CartPricing pricing, Func<CancellationToken, Task<OrderingSettings?>> settingsOf)
{
    private static readonly (string Id, string Title) StopButton = ("stop", "Cancel");

    public async Task<FlowStep.Ask> AskAsync(string step, Dictionary<string, string> data, string? preface, CancellationToken cancellationToken)
    {
        var settings = await settingsOf(cancellationToken) ?? new OrderingSettings { Currency = "USD" };
        var page = PageOf(data);
        var question = step switch
        {
            Steps.Category => await CategoryAsync(data, page, settings, cancellationToken),
            Steps.Product => await ProductAsync(data, page, settings, cancellationToken),
            Steps.Variant => await VariantAsync(data, settings, cancellationToken),
            Steps.Quantity => await QuantityAsync(data, settings, cancellationToken),
            Steps.Cart => await CartAsync(data, settings, cancellationToken),
            Steps.Change => await ChangeAsync(data, settings, cancellationToken),
            Steps.Fulfilment => await FulfilmentAsync(data, settings, cancellationToken),
            Steps.Area => Area(settings, page),
            Steps.Address => Buttons($"Please type the delivery address{(data.GetValueOrDefault(Keys.Area) is { } area ? $" in {area}" : "")} (street, house, landmark).", StopButton),
            Steps.Pickup => Buttons($"When will you collect it? Type a day and time, e.g. \"Friday 5 pm\".{LeadTime(settings)}", StopButton),
            Steps.Payment => Payment(settings),
            Steps.Confirm => await ConfirmAsync(data, settings, cancellationToken),
            _ => throw new InvalidOperationException($"The ordering flow has no step '{step}'."),
        };
        if (step == Steps.Category && question is null)
        {
            // One category (or none): straight to the products.
            data.Remove(Keys.Category);
            return await AskAsync(Steps.Product, data, preface, cancellationToken);
        }

        var asked = preface is null ? question! : question! with { Body = Cut($"{preface}\n\n{question!.Body}", InteractiveLimits.Body) };
        return new FlowStep.Ask(step, asked, data);
    }

    /// <summary>Several products matched what the customer typed: they pick one.</summary>
    public async Task<FlowStep.Ask> MatchesAsync(IReadOnlyList<OfferedProduct> found, string why, Dictionary<string, string> data, CancellationToken cancellationToken)
    {
        var settings = await settingsOf(cancellationToken) ?? new OrderingSettings { Currency = "USD" };
        return new FlowStep.Ask(Steps.Product, List(why, "Items", found.Select(p => Row($"p:{p.Id:N}", p.Title, PriceOf(p, settings))), more: false), data);
    }

    private async Task<InteractiveContent?> CategoryAsync(Dictionary<string, string> data, int page, OrderingSettings settings, CancellationToken cancellationToken)
    {
        var categories = await catalog.CategoriesAsync(cancellationToken);
        if (categories.Count <= 1)
        {
            return null;
        }

        var shown = categories.Skip(page * RowsPerPage).ToList();
        var more = shown.Count > InteractiveLimits.MaxRows;
        return List($"What would you like to order?{CartNote(data)}", "Categories", shown.Select(c => Row($"c:{c}", c)), more);
    }

    private async Task<InteractiveContent> ProductAsync(Dictionary<string, string> data, int page, OrderingSettings settings, CancellationToken cancellationToken)
    {
        var category = data.GetValueOrDefault(Keys.Category);
        if (settings.MetaCatalogId is { } catalogId && await CatalogProductsAsync(catalogId, category, data, cancellationToken) is { } productList)
        {
            return productList;
        }

        var (items, more) = await catalog.ProductsAsync(category, page * RowsPerPage, RowsPerPage, cancellationToken);
        if (!more && items.Count == RowsPerPage)
        {
            // Exactly ten: show the tenth instead of a "More…" row.
            var (tenth, _) = await catalog.ProductsAsync(category, page * RowsPerPage + RowsPerPage, 1, cancellationToken);
            items = [.. items, .. tenth];
        }

        return List($"{(category is null ? "What would you like?" : $"{category}: what would you like?")}{CartNote(data)}", "Products",
            items.Select(p => Row($"p:{p.Id:N}", p.Title, PriceOf(p, settings))), more);
    }

    /// <summary>
    /// With a Meta catalog linked: the products as WhatsApp's own product list (up to 30), which
    /// the customer adds to a cart and sends back as one <c>order</c> message; typing still works.
    /// </summary>
    private async Task<InteractiveContent?> CatalogProductsAsync(string catalogId, string? category, Dictionary<string, string> data, CancellationToken cancellationToken)
    {
        var (items, more) = await catalog.OrderableAsync(category, InteractiveLimits.MaxProducts, cancellationToken);
        if (items.Count == 0)
        {
            return null; // only products whose options are all off: the list says so
        }

        var title = category ?? "Our products";
        var others = more ? $" These are the first {items.Count}: type the name of anything else." : "";
        return new InteractiveContent(InteractiveMessages.ProductList,
            Cut($"Open the list, add what you would like to your cart and send it — or type what you would like.{others}{CartNote(data)}", InteractiveLimits.Body),
            Header: Cut(title, InteractiveLimits.Header),
            Sections: [new ListSection(Cut(title, InteractiveLimits.SectionTitle), null, [.. items.Select(p => p.Sku)])],
            CatalogId: catalogId);
    }

    private async Task<InteractiveContent> VariantAsync(Dictionary<string, string> data, OrderingSettings settings, CancellationToken cancellationToken)
    {
        var product = await catalog.FindAsync(Guid.Parse(data[Keys.Product]), cancellationToken);
        var variants = await catalog.VariantsAsync(Guid.Parse(data[Keys.Product]), cancellationToken);
        var body = $"{product?.Name ?? "Which option?"}: which one?\n" + string.Join("\n", variants.Select(v => $"{v.Variant} — {Money.Format(v.PriceMinor, settings.Currency!)}"));
        return variants.Count <= InteractiveLimits.MaxButtons
            ? Buttons(body, [.. variants.Select(v => ($"v:{v.Id:N}", v.Variant ?? v.Name))])
            : List(body, "Options", variants.Take(InteractiveLimits.MaxRows).Select(v => Row($"v:{v.Id:N}", v.Variant ?? v.Name, Money.Format(v.PriceMinor, settings.Currency!))), more: false);
    }

    private async Task<InteractiveContent> QuantityAsync(Dictionary<string, string> data, OrderingSettings settings, CancellationToken cancellationToken)
    {
        var item = await catalog.FindAsync(Guid.Parse(data[Keys.Item]), cancellationToken);
        var each = item is null ? "" : $" ({Money.Format(item.PriceMinor, settings.Currency!)} each)";
        return Buttons($"How many {item?.Title ?? "of it"}{each}? Tap or type a number.", ("q:1", "1"), ("q:2", "2"), ("q:3", "3"));
    }

    private async Task<InteractiveContent> CartAsync(Dictionary<string, string> data, OrderingSettings settings, CancellationToken cancellationToken)
    {
        var priced = await pricing.PriceAsync(Cart.Read(data.GetValueOrDefault(Keys.Cart)), settings, null, cancellationToken);
        return Buttons($"Your cart:\n{Lines(priced, withFee: false)}\n\nAnything else?", (Keys.Add, "Add more"), (Keys.Checkout, "Checkout"), (Keys.Change, "Change cart"));
    }

    private async Task<InteractiveContent> ChangeAsync(Dictionary<string, string> data, OrderingSettings settings, CancellationToken cancellationToken)
    {
        var priced = await pricing.PriceAsync(Cart.Read(data.GetValueOrDefault(Keys.Cart)), settings, null, cancellationToken);
        var rows = new List<ListRow> { Row(Keys.Add, "Add more items"), Row(Keys.Checkout, "Go to checkout") };
        rows.AddRange(priced.Lines.Take(InteractiveLimits.MaxRows - 3).Select(l => Row($"r:{l.ProductId:N}", $"Remove {l.Title}", $"{l.Quantity} × {priced.Format(l.UnitPriceMinor)}")));
        rows.Add(Row(Keys.Empty, "Empty the cart"));
        return List($"What would you like to change?\n{Lines(priced, withFee: false)}", "Change", rows, more: false);
    }

    private async Task<InteractiveContent> FulfilmentAsync(Dictionary<string, string> data, OrderingSettings settings, CancellationToken cancellationToken)
    {
        var priced = await pricing.PriceAsync(Cart.Read(data.GetValueOrDefault(Keys.Cart)), settings, Fulfilment.Delivery, cancellationToken);
        var fee = priced.DeliveryFeeMinor == 0 ? "free" : priced.Format(priced.DeliveryFeeMinor);
        return Buttons($"Delivery ({fee}) or pickup?", (Keys.Delivery, "Delivery"), (Keys.Pickup, "Pickup"), StopButton);
    }

    private static InteractiveContent Area(OrderingSettings settings, int page)
    {
        var shown = settings.DeliveryAreas.Select((a, i) => (Area: a, Index: i)).Skip(page * RowsPerPage).ToList();
        return List("Which area should we deliver to?", "Areas", shown.Select(a => Row($"a:{a.Index}", a.Area)), more: shown.Count > InteractiveLimits.MaxRows);
    }

    private static InteractiveContent Payment(OrderingSettings settings)
    {
        var methods = settings.PaymentMethods.Select(m => ($"pay:{m}", OrderingQuestions.Payment(m))).ToArray();
        return methods.Length <= InteractiveLimits.MaxButtons
            ? Buttons("How would you like to pay?", methods)
            : List("How would you like to pay?", "Payment", methods.Select(m => Row(m.Item1, m.Item2)), more: false);
    }

    private async Task<InteractiveContent> ConfirmAsync(Dictionary<string, string> data, OrderingSettings settings, CancellationToken cancellationToken)
    {
        var pickup = data.GetValueOrDefault(Keys.Fulfilment) == Keys.Pickup;
        var priced = await pricing.PriceAsync(Cart.Read(data.GetValueOrDefault(Keys.Cart)), settings, pickup ? Fulfilment.Pickup : Fulfilment.Delivery, cancellationToken);
        data[Keys.Quoted] = priced.TotalMinor.ToString(CultureInfo.InvariantCulture);
        var how = pickup
            ? $"Pickup: {data.GetValueOrDefault(Keys.PickupTime)}"
            : $"Delivery to: {string.Join(", ", new[] { data.GetValueOrDefault(Keys.Address), data.GetValueOrDefault(Keys.Area) }.OfType<string>())}";
        var payment = Enum.TryParse<PaymentMethod>(data.GetValueOrDefault(Keys.Payment), out var method) ? OrderingQuestions.Payment(method) : "";
        return Buttons($"Please check your order:\n{Lines(priced, withFee: !pickup)}\n{how}\nPayment: {payment}",
            ($"ok:{data[Keys.CartId]}", "Confirm"), (Keys.Change, "Change"), StopButton);
    }

    private static string PriceOf(OfferedProduct product, OrderingSettings settings) =>
        product.HasVariants ? "Several options" : Money.Format(product.PriceMinor, settings.Currency!) + (product.Stock is { } left and <= 5 ? $" · {left} left" : "");

    private static string LeadTime(OrderingSettings settings) =>
        settings.LeadTimeMinutes switch
        {
            0 => "",
            < 120 => $" We need about {settings.LeadTimeMinutes} minutes to prepare an order.",
            var minutes => $" We need about {minutes / 60} hours to prepare an order.",
        };

    private static string CartNote(Dictionary<string, string> data) =>
        Cart.Read(data.GetValueOrDefault(Keys.Cart)) is { Count: > 0 } cart ? $"\n(Your cart has {cart.Sum(l => l.Quantity)} items.)" : "";
}
