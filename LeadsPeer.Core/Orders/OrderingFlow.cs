using System.Globalization;
using LeadsPeer.Core.Catalog;
using LeadsPeer.Core.Conversations.Interactive;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Flows;
using LeadsPeer.Core.Ordering;
using Microsoft.EntityFrameworkCore;
using static LeadsPeer.Core.Flows.FlowMessages;
using static LeadsPeer.Core.Orders.OrderingQuestions;
using Keys = LeadsPeer.Core.Orders.OrderingKeys;
using Steps = LeadsPeer.Core.Orders.OrderingStepNames;

namespace LeadsPeer.Core.Orders;

/// <summary>
/// Ordering on WhatsApp, by taps or typed words: category → product → option → quantity → cart
/// ("add more" or checkout) → delivery or pickup → area and address, or pickup time → payment →
/// a summary with every line, the fee and the total → Confirm, Change or Cancel. Every price
/// and total shown comes from <see cref="CartPricing"/>; the order is placed by
/// <see cref="OrderBook"/> with the total the customer saw, so a price that changed in between is
/// shown again instead of charged. Typed items ("2 chocolate fudge 1kg") are taken only when
/// they name one product; otherwise the customer picks from the list.
/// </summary>
public sealed partial class OrderingFlow(LeadsPeerDbContext db, CatalogQueries catalog, CartPricing pricing, OrderBook orders) : IGuidedFlow
{
    public const string FlowName = "order";
    public const string StoppedText = "OK, I've cancelled this order. Write \"new order\" any time to start again.";

    private const string Stop = "stop";

    public string Name => FlowName;

    public bool LeavesTermsToKnowledge => true;

    public IReadOnlyList<string> Triggers { get; } =
    [
        "to order", "can i order", "could i order", "place an order", "make an order", "new order", "start an order", "order now", "order online",
        "want to buy", "like to buy", "need to buy", "can i buy", "could i buy", "see the menu", "show me the menu", "show the menu", "your menu", "the catalog", "your catalogue", "price list",
    ];

    /// <summary>What an agent hands the flow (<see cref="FlowContext.Given"/>): a cart, shown to the customer or taken to checkout.</summary>
    public static IReadOnlyDictionary<string, string> Given(IReadOnlyList<CartLine> cart, bool checkout) =>
        checkout
            ? new Dictionary<string, string> { [Keys.Cart] = Cart.Write(cart), [Keys.Checkout] = "yes" }
            : new Dictionary<string, string> { [Keys.Cart] = Cart.Write(cart) };

    /// <summary>A cart sent from the business's Meta catalog starts ordering with its items.</summary>
    public bool StartsOn(Conversations.Message turn) => turn.Type == "order";

    /// <summary>A request that names an item of the catalog: "send me 6 croissants", "1 kg chocolate fudge cake chahiye".</summary>
    public async Task<bool> AskedForAsync(string text, CancellationToken cancellationToken) =>
        OrderingRequest.IsRequest(text) && (await catalog.NamedInAsync(text, 1, cancellationToken)).Count > 0;

    public async Task<FlowStep?> StartAsync(FlowContext context, CancellationToken cancellationToken)
    {
        if (await SettingsAsync(cancellationToken) is not { } settings || (await catalog.ProductsAsync(null, 0, 1, cancellationToken)).Items.Count == 0)
        {
            return null; // not offered: the agent answers ("do you take orders?")
        }

        var data = new Dictionary<string, string> { [Keys.CartId] = Guid.NewGuid().ToString("N") };
        if (context.Turn.Type == "order")
        {
            var items = MetaCart.Read(context.Turn.Payload);
            var (cart, notes) = MetaCart.Match(items, await catalog.BySkuAsync([.. items.Select(i => i.Sku)], cancellationToken), settings.Currency!);
            // Sent while ordering (from the product list the flow showed): added to what was already in the cart.
            if (context.Earlier?.GetValueOrDefault(Keys.CartId) is { } earlierCart)
            {
                data[Keys.CartId] = earlierCart;
                cart = cart.Aggregate(Cart.Read(context.Earlier.GetValueOrDefault(Keys.Cart)), (all, line) => Cart.Add(all, line.ProductId, line.Quantity));
            }

            data[Keys.Cart] = Cart.Write(cart);
            var said = string.Join(" ", notes);
            return cart.Count == 0
                ? await CategoriesAsync(data, $"{said} Nothing from that cart can be ordered now.".Trim(), cancellationToken)
                : await AskAsync(Steps.Cart, data, notes.Count == 0 ? "Thanks for your cart!" : said, cancellationToken);
        }

        // A cart the agent's tools built (priced by CartPricing, like every cart): shown, or straight to checkout.
        if (Cart.Read(context.Given?.GetValueOrDefault(Keys.Cart)) is { Count: > 0 } given)
        {
            data[Keys.Cart] = Cart.Write(given);
            return context.Given!.ContainsKey(Keys.Checkout)
                ? await CheckoutAsync(data, given.Count, cancellationToken)
                : await AskAsync(Steps.Cart, data, null, cancellationToken);
        }

        var words = OrderingShortcut.Read(context.Turn.Text, Triggers);
        return words.Text is null
            ? await CategoriesAsync(data, null, cancellationToken)
            : await TypedItemAsync(data, context.Turn.Text, Triggers, "Here is what we have:", cancellationToken);
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

                return await TypedItemAsync(data, typed, [], null, cancellationToken, again: true);

            case Steps.Product:
                if (choice == MoreId)
                {
                    return await ProductsAsync(Page(data, +1), null, cancellationToken);
                }

                if (ChosenId(choice, "p:") is { } productId)
                {
                    return await PickedAsync(data, await catalog.FindAsync(productId, cancellationToken), null, cancellationToken);
                }

                return await TypedItemAsync(data, typed, [], null, cancellationToken, again: true);

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

    private Task<FlowStep.Ask> CategoriesAsync(Dictionary<string, string> data, string? preface, CancellationToken cancellationToken) =>
        AskAsync(Steps.Category, data, preface, cancellationToken);

    private Task<FlowStep.Ask> ProductsAsync(Dictionary<string, string> data, string? preface, CancellationToken cancellationToken) =>
        AskAsync(Steps.Product, data, preface, cancellationToken);

    private Task<FlowStep.Ask> AskAsync(string step, Dictionary<string, string> data, string? preface, CancellationToken cancellationToken) =>
        Questions().AskAsync(step, data, preface, cancellationToken);

    private OrderingSteps Questions() => new(catalog, pricing, SettingsAsync);

    // Read once per turn: the flow is scoped to one run of the turn's work, and every step of it asks.
    private async Task<OrderingSettings?> SettingsAsync(CancellationToken cancellationToken) =>
        await (_settings ??= db.OrderingSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken)) is { Enabled: true, Currency: not null } settings ? settings : null;

    private Task<OrderingSettings?>? _settings;

    private static Guid? ChosenId(string? choice, string prefix) =>
        choice?.StartsWith(prefix, StringComparison.Ordinal) == true && Guid.TryParseExact(choice[prefix.Length..], "N", out var id) ? id : null;
}
