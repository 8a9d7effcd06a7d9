using System.Globalization;
using LeadsPeer.Core.Catalog;
using LeadsPeer.Core.Conversations.Interactive;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Flows;
using LeadsPeer.Core.Ordering;
using Microsoft.EntityFrameworkCore;
using static LeadsPeer.Core.Orders.OrderingQuestions;
using Keys = LeadsPeer.Core.Orders.OrderingKeys;
using Steps = LeadsPeer.Core.Orders.OrderingStepNames;

namespace LeadsPeer.Core.Orders;

/// <summary>
/// Ordering on WhatsApp, by taps or typed words: category → product → option → quantity → cart
/// ("add more" or checkout) → delivery or pickup → area and address, or pickup time → payment →
/// a summary with every line, the fee and the total → Confirm, Change or Cancel. Every price
/// and total shown comes from <see cref="CartPricing"/>; the order is placed by
/// <see cref="Orders"/> with the total the customer saw, so a price that changed in between is
/// shown again instead of charged. Typed items ("2 chocolate fudge 1kg") are taken only when
/// they name one product; otherwise the customer picks from the list.
/// </summary>
public sealed class OrderingFlow(LeadsPeerDbContext db, CatalogQueries catalog, CartPricing pricing, Orders orders) : IGuidedFlow
{
    public const string FlowName = "order";
    public const string StoppedText = "OK, I've cancelled this order. Write \"new order\" any time to start again.";

    private const string Stop = "stop";

    public string Name => FlowName;

    public IReadOnlyList<string> Triggers { get; } =
    [
        "to order", "place an order", "make an order", "new order", "start an order", "order now", "order online",
        "to buy", "see the menu", "show me the menu", "show the menu", "your menu", "the catalog", "your catalogue", "price list",
    ];

    public async Task<FlowStep?> StartAsync(FlowContext context, CancellationToken cancellationToken)
    {
        if (await SettingsAsync(cancellationToken) is null || (await catalog.ProductsAsync(null, 0, 1, cancellationToken)).Items.Count == 0)
        {
            return null; // not offered: the agent answers ("do you take orders?")
        }

        var data = new Dictionary<string, string> { [Keys.CartId] = Guid.NewGuid().ToString("N") };
        var words = OrderingShortcut.Read(context.Turn.Text, Triggers);
        return words.Text is null
            ? await CategoriesAsync(data, null, cancellationToken)
            : await TypedItemAsync(data, words, "Here is what we have:", cancellationToken);
    }

    public async Task<FlowStep.Ask> QuestionAsync(FlowContext context, string step, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken) =>
        await AskAsync(step, new Dictionary<string, string>(data), null, cancellationToken);

    public async Task<FlowStep> AnswerAsync(FlowContext context, string step, FlowAnswer answer, IReadOnlyDictionary<string, string> state, CancellationToken cancellationToken)
    {
        var data = new Dictionary<string, string>(state);
        var choice = answer.ChoiceId;
        var typed = answer.Text?.Trim();
        if (choice == Stop || (choice is null && typed is not null && typed.Equals("cancel order", StringComparison.OrdinalIgnoreCase)))
        {
            return new FlowStep.Finish(StoppedText);
        }

        switch (step)
        {
            case Steps.Category:
                if (choice == MoreId)
                {
                    return await CategoriesAsync(Page(data, +1), null, cancellationToken);
                }

                var categories = await catalog.CategoriesAsync(cancellationToken);
                var category = choice?.StartsWith("c:", StringComparison.Ordinal) == true
                    ? categories.FirstOrDefault(c => c == choice[2..])
                    : categories.FirstOrDefault(c => c.Equals(typed, StringComparison.OrdinalIgnoreCase));
                if (category is not null)
                {
                    data[Keys.Category] = category;
                    return await ProductsAsync(Page(data, 0), null, cancellationToken);
                }

                return await TypedItemAsync(data, OrderingShortcut.Read(typed, []), null, cancellationToken, again: true);

            case Steps.Product:
                if (choice == MoreId)
                {
                    return await ProductsAsync(Page(data, +1), null, cancellationToken);
                }

                if (ChosenId(choice, "p:") is { } productId)
                {
                    return await PickedAsync(data, await catalog.FindAsync(productId, cancellationToken), null, cancellationToken);
                }

                return await TypedItemAsync(data, OrderingShortcut.Read(typed, []), null, cancellationToken, again: true);

            case Steps.Variant:
                var variants = await catalog.VariantsAsync(Guid.Parse(data[Keys.Product]), cancellationToken);
                var variant = ChosenId(choice, "v:") is { } variantId
                    ? variants.FirstOrDefault(v => v.Id == variantId)
                    : variants.FirstOrDefault(v => string.Equals(v.Variant, typed, StringComparison.OrdinalIgnoreCase)
                        || string.Equals(v.Variant?.Replace(" ", ""), typed?.Replace(" ", ""), StringComparison.OrdinalIgnoreCase));
                if (variant is null)
                {
                    return new FlowStep.Again(choice is null ? "Please tap one of the options." : "That option is not available any more.");
                }

                data[Keys.Item] = variant.Id.ToString("N");
                return await AskAsync(Steps.Quantity, data, null, cancellationToken);

            case Steps.Quantity:
                var quantity = choice?.StartsWith("q:", StringComparison.Ordinal) == true ? choice[2..] : OrderingShortcut.Number(typed);
                if (!int.TryParse(quantity, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > CatalogLimits.MaxQuantity)
                {
                    return new FlowStep.Again($"Please write how many, from 1 to {CatalogLimits.MaxQuantity}.");
                }

                return await AddAsync(data, Guid.Parse(data[Keys.Item]), count, cancellationToken);

            case Steps.Cart:
            case Steps.Change:
                return await CartChoiceAsync(data, choice ?? OrderingShortcut.CartWord(typed), cancellationToken);

            case Steps.Fulfilment:
                var fulfilment = choice ?? OrderingShortcut.FulfilmentWord(typed);
                if (fulfilment is not (Keys.Delivery or Keys.Pickup))
                {
                    return new FlowStep.Again("Please tap Delivery or Pickup.");
                }

                data[Keys.Fulfilment] = fulfilment;
                return await AfterFulfilmentAsync(data, cancellationToken);

            case Steps.Area:
                if (choice == MoreId)
                {
                    return await AskAsync(Steps.Area, Page(data, +1), null, cancellationToken);
                }

                var areas = (await SettingsAsync(cancellationToken))?.DeliveryAreas ?? [];
                var area = choice?.StartsWith("a:", StringComparison.Ordinal) == true && int.TryParse(choice[2..], CultureInfo.InvariantCulture, out var index) && index < areas.Count
                    ? areas[index]
                    : areas.FirstOrDefault(a => a.Equals(typed, StringComparison.OrdinalIgnoreCase));
                if (area is null)
                {
                    return new FlowStep.Again("We deliver only to the areas in the list: please pick yours.");
                }

                data[Keys.Area] = area;
                return await AskAsync(Steps.Address, data, null, cancellationToken);

            case Steps.Address:
            case Steps.Pickup:
                var limit = step == Steps.Address ? OrderingLimits.Address : CatalogLimits.Name;
                if (typed is null || typed.Length < 3 || typed.Length > limit || choice is not null)
                {
                    return new FlowStep.Again(step == Steps.Address ? "Please type the delivery address." : "Please type when you will collect it.");
                }

                data[step == Steps.Address ? Keys.Address : Keys.PickupTime] = typed;
                return await PaymentAsync(data, cancellationToken);

            case Steps.Payment:
                var methods = (await SettingsAsync(cancellationToken))?.PaymentMethods ?? [];
                var method = methods.Cast<PaymentMethod?>().FirstOrDefault(m => choice == $"pay:{m}" || Payment(m!.Value).Equals(typed, StringComparison.OrdinalIgnoreCase));
                if (method is null)
                {
                    return new FlowStep.Again("Please tap how you would like to pay.");
                }

                data[Keys.Payment] = method.Value.ToString();
                return await AskAsync(Steps.Confirm, data, null, cancellationToken);

            case Steps.Confirm:
                if (choice == Keys.Change || (choice is null && OrderingShortcut.CartWord(typed) == Keys.Change))
                {
                    return await AskAsync(Steps.Change, data, null, cancellationToken);
                }

                return choice == $"ok:{data[Keys.CartId]}" || (choice is null && OrderingShortcut.IsYes(typed))
                    ? await ConfirmAsync(context, data, cancellationToken)
                    : new FlowStep.Again("Please tap Confirm, Change or Cancel.");

            default:
                return await CategoriesAsync(data, null, cancellationToken);
        }
    }

    public async Task<string?> StaleTapAsync(FlowContext context, string step, string choiceId, CancellationToken cancellationToken)
    {
        // A second tap on Confirm (or one after the order was placed): say where the order stands.
        if (step != Steps.Confirm || ChosenId(choiceId, "ok:") is not { } cartId)
        {
            return null;
        }

        var order = await db.Orders.AsNoTracking().Where(o => o.CartId == cartId).Select(o => new { o.Reference, o.Status }).SingleOrDefaultAsync(cancellationToken);
        return order is null ? null : $"Your order {order.Reference} is already placed; it is {OrderLifecycle.Words(order.Status)}.";
    }

    private async Task<FlowStep> ConfirmAsync(FlowContext context, Dictionary<string, string> data, CancellationToken cancellationToken)
    {
        var request = new PlaceOrder(Guid.Parse(data[Keys.CartId]), context.Conversation, Cart.Read(data.GetValueOrDefault(Keys.Cart)),
            data.GetValueOrDefault(Keys.Fulfilment) == Keys.Pickup ? Fulfilment.Pickup : Fulfilment.Delivery,
            data.GetValueOrDefault(Keys.Area), data.GetValueOrDefault(Keys.Address), data.GetValueOrDefault(Keys.PickupTime),
            Enum.Parse<PaymentMethod>(data[Keys.Payment]), long.Parse(data[Keys.Quoted], CultureInfo.InvariantCulture));
        switch (await orders.PlaceAsync(request, cancellationToken))
        {
            case PlaceResult.Placed placed:
                return new FlowStep.Finish(OrderingMessages.Confirmation(placed.Order, (await SettingsAsync(cancellationToken))!));
            case PlaceResult.Changed changed:
                var fixedCart = changed.Cart.Orderable();
                data[Keys.Cart] = Cart.Write(fixedCart);
                if (fixedCart.Count == 0)
                {
                    return await CategoriesAsync(data, $"{changed.Why} Your cart is empty now.", cancellationToken);
                }

                // Sold out or repriced: the customer sees the cart as it can be ordered now and confirms again.
                return changed.Cart.Problems.Any() || changed.Cart.SubtotalMinor < ((await SettingsAsync(cancellationToken))?.MinimumOrderMinor ?? 0)
                    ? await AskAsync(Steps.Cart, data, changed.Why, cancellationToken)
                    : await AskAsync(Steps.Confirm, data, changed.Why, cancellationToken);
            case PlaceResult.Refused refused:
                return new FlowStep.Finish(refused.Why);
            default:
                throw new InvalidOperationException("Placing an order came to an unknown result.");
        }
    }

    private async Task<FlowStep> CartChoiceAsync(Dictionary<string, string> data, string? choice, CancellationToken cancellationToken)
    {
        var cart = Cart.Read(data.GetValueOrDefault(Keys.Cart));
        switch (choice)
        {
            case Keys.Add:
                return await CategoriesAsync(Page(data, 0), null, cancellationToken);
            case Keys.Change:
                return await AskAsync(Steps.Change, data, null, cancellationToken);
            case Keys.Empty:
                data[Keys.Cart] = "";
                return await CategoriesAsync(Page(data, 0), "Your cart is empty.", cancellationToken);
            case Keys.Checkout:
                return await CheckoutAsync(data, cart.Count, cancellationToken);
        }

        if (ChosenId(choice, "r:") is { } removed && cart.Any(l => l.ProductId == removed))
        {
            var left = cart.Where(l => l.ProductId != removed).ToList();
            data[Keys.Cart] = Cart.Write(left);
            return left.Count == 0
                ? await CategoriesAsync(Page(data, 0), "Your cart is empty.", cancellationToken)
                : await AskAsync(Steps.Cart, data, "Removed.", cancellationToken);
        }

        return new FlowStep.Again("Please tap one of the options.");
    }

    private async Task<FlowStep> CheckoutAsync(Dictionary<string, string> data, int items, CancellationToken cancellationToken)
    {
        var settings = await SettingsAsync(cancellationToken);
        if (settings is null)
        {
            return new FlowStep.Finish(Orders.ClosedText);
        }

        if (items == 0)
        {
            return await CategoriesAsync(Page(data, 0), "Your cart is empty.", cancellationToken);
        }

        var priced = await pricing.PriceAsync(Cart.Read(data[Keys.Cart]), settings, null, cancellationToken);
        if (priced.Problems.Any())
        {
            data[Keys.Cart] = Cart.Write(priced.Orderable());
            return await AskAsync(Steps.Cart, data, string.Join(" ", priced.Problems), cancellationToken);
        }

        if (priced.SubtotalMinor < settings.MinimumOrderMinor)
        {
            return await AskAsync(Steps.Cart, data, $"The minimum order is {priced.Format(settings.MinimumOrderMinor)}: please add a little more.", cancellationToken);
        }

        if (settings is { Delivery: true, Pickup: true })
        {
            return await AskAsync(Steps.Fulfilment, data, null, cancellationToken);
        }

        data[Keys.Fulfilment] = settings.Delivery ? Keys.Delivery : Keys.Pickup;
        return await AfterFulfilmentAsync(data, cancellationToken);
    }

    private async Task<FlowStep> AfterFulfilmentAsync(Dictionary<string, string> data, CancellationToken cancellationToken)
    {
        var settings = await SettingsAsync(cancellationToken);
        if (data[Keys.Fulfilment] == Keys.Pickup)
        {
            return await AskAsync(Steps.Pickup, data, null, cancellationToken);
        }

        return await AskAsync(settings?.DeliveryAreas.Count > 0 ? Steps.Area : Steps.Address, Page(data, 0), null, cancellationToken);
    }

    private async Task<FlowStep> PaymentAsync(Dictionary<string, string> data, CancellationToken cancellationToken)
    {
        var methods = (await SettingsAsync(cancellationToken))?.PaymentMethods ?? [];
        if (methods.Count == 1)
        {
            data[Keys.Payment] = methods[0].ToString();
            return await AskAsync(Steps.Confirm, data, null, cancellationToken);
        }

        return await AskAsync(Steps.Payment, data, null, cancellationToken);
    }

    private async Task<FlowStep> AddAsync(Dictionary<string, string> data, Guid productId, int count, CancellationToken cancellationToken)
    {
        var product = await catalog.FindAsync(productId, cancellationToken);
        var cart = Cart.Read(data.GetValueOrDefault(Keys.Cart));
        var inCart = cart.Where(l => l.ProductId == productId).Sum(l => l.Quantity);
        if (product is null)
        {
            return await CategoriesAsync(data, "Sorry, that item is not available any more.", cancellationToken);
        }

        if (product.Stock is { } left && inCart + count > left)
        {
            return left - inCart <= 0
                ? await CategoriesAsync(data, $"Sorry, {product.Title} is sold out.", cancellationToken)
                : new FlowStep.Again($"Only {left - inCart} of {product.Title} {(left - inCart == 1 ? "is" : "are")} left.");
        }

        if (inCart + count > CatalogLimits.MaxQuantity)
        {
            return new FlowStep.Again($"At most {CatalogLimits.MaxQuantity} of one item in an order.");
        }

        data[Keys.Cart] = Cart.Write(Cart.Add(cart, productId, count));
        data.Remove(Keys.Item);
        return await AskAsync(Steps.Cart, data, $"Added {count} × {product.Title}.", cancellationToken);
    }

    /// <summary>A product picked from the list or named by typing: its options, its quantity, or straight into the cart.</summary>
    private async Task<FlowStep> PickedAsync(Dictionary<string, string> data, OfferedProduct? product, int? quantity, CancellationToken cancellationToken)
    {
        if (product is null)
        {
            return await ProductsAsync(data, "Sorry, that item is not available any more.", cancellationToken);
        }

        if (product.HasVariants)
        {
            data[Keys.Product] = product.Id.ToString("N");
            return await AskAsync(Steps.Variant, data, null, cancellationToken);
        }

        if (quantity is { } count)
        {
            return await AddAsync(data, product.Id, count, cancellationToken);
        }

        data[Keys.Item] = product.Id.ToString("N");
        return await AskAsync(Steps.Quantity, data, null, cancellationToken);
    }

    /// <summary>Words that may name an item: taken when they name exactly one; otherwise the customer is shown the list (never a guess).</summary>
    private async Task<FlowStep> TypedItemAsync(Dictionary<string, string> data, OrderingShortcut words, string? fallback, CancellationToken cancellationToken, bool again = false)
    {
        var found = words.Text is null ? [] : await catalog.SearchAsync(words.Text, 5, cancellationToken);
        if (found.Count == 1)
        {
            return await PickedAsync(data, found[0], words.Quantity, cancellationToken);
        }

        var why = found.Count == 0
            ? $"I couldn't find \"{Cut(words.Text ?? "that", 40)}\" in our catalog."
            : $"Several items match \"{Cut(words.Text!, 40)}\": please pick one.";
        if (found.Count > 1)
        {
            return await Questions().MatchesAsync(found, why, data, cancellationToken);
        }

        return again ? new FlowStep.Again(why) : await CategoriesAsync(data, fallback is null ? why : $"{why} {fallback}", cancellationToken);
    }

    private Task<FlowStep.Ask> CategoriesAsync(Dictionary<string, string> data, string? preface, CancellationToken cancellationToken) =>
        AskAsync(Steps.Category, data, preface, cancellationToken);

    private Task<FlowStep.Ask> ProductsAsync(Dictionary<string, string> data, string? preface, CancellationToken cancellationToken) =>
        AskAsync(Steps.Product, data, preface, cancellationToken);

    private Task<FlowStep.Ask> AskAsync(string step, Dictionary<string, string> data, string? preface, CancellationToken cancellationToken) =>
        Questions().AskAsync(step, data, preface, cancellationToken);

    private OrderingSteps Questions() => new(catalog, pricing, SettingsAsync);

    private async Task<OrderingSettings?> SettingsAsync(CancellationToken cancellationToken) =>
        await db.OrderingSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken) is { Enabled: true, Currency: not null } settings ? settings : null;

    private static Dictionary<string, string> Page(Dictionary<string, string> data, int step)
    {
        data[Keys.Page] = (step == 0 ? 0 : int.Parse(data.GetValueOrDefault(Keys.Page, "0"), CultureInfo.InvariantCulture) + step).ToString(CultureInfo.InvariantCulture);
        return data;
    }

    private static Guid? ChosenId(string? choice, string prefix) =>
        choice?.StartsWith(prefix, StringComparison.Ordinal) == true && Guid.TryParseExact(choice[prefix.Length..], "N", out var id) ? id : null;
}
