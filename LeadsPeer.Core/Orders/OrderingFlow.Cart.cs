using System.Globalization;
using LeadsPeer.Core.Catalog;
using LeadsPeer.Core.Flows;
using LeadsPeer.Core.Ordering;
using Microsoft.EntityFrameworkCore;
using static LeadsPeer.Core.Flows.FlowMessages;
using static LeadsPeer.Core.Orders.OrderingQuestions;
using Keys = LeadsPeer.Core.Orders.OrderingKeys;
using Steps = LeadsPeer.Core.Orders.OrderingStepNames;

namespace LeadsPeer.Core.Orders;

/// <summary>The ordering flow's cart: adding items (tapped or typed), checkout, and placing the order.</summary>
public sealed partial class OrderingFlow
{
    private async Task<FlowStep> ConfirmAsync(FlowContext context, Dictionary<string, string> data, CancellationToken cancellationToken)
    {
        var request = new PlaceOrder(Guid.Parse(data[Keys.CartId]), context.Conversation, Cart.Read(data.GetValueOrDefault(Keys.Cart)),
            data.GetValueOrDefault(Keys.Fulfilment) == Keys.Pickup ? Fulfilment.Pickup : Fulfilment.Delivery,
            data.GetValueOrDefault(Keys.Area), data.GetValueOrDefault(Keys.Address), data.GetValueOrDefault(Keys.PickupTime),
            Enum.Parse<PaymentMethod>(data[Keys.Payment]), long.Parse(data[Keys.Quoted], CultureInfo.InvariantCulture));
        switch (await orders.PlaceAsync(request, cancellationToken))
        {
            case PlaceResult.Placed placed:
                // The payment details as they are now, even if ordering was switched off a moment ago: the order stands.
                var settings = await db.OrderingSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? new OrderingSettings();
                return new FlowStep.Finish(OrderingMessages.Confirmation(placed.Order, settings));
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
            return new FlowStep.Finish(OrderBook.ClosedText);
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

        if (Refusal(product, inCart, count) is { } refused)
        {
            return refused.SoldOut ? await CategoriesAsync(data, refused.Why, cancellationToken) : new FlowStep.Again(refused.Why);
        }

        data[Keys.Cart] = Cart.Write(Cart.Add(cart, productId, count));
        data.Remove(Keys.Item);
        return await AskAsync(Steps.Cart, data, $"Added {count} × {product.Title}.", cancellationToken);
    }

    /// <summary>Why <paramref name="count"/> more of a product cannot go in a cart that holds <paramref name="inCart"/>: its stock, or the most of one item an order takes.</summary>
    private static (string Why, bool SoldOut)? Refusal(OfferedProduct product, int inCart, int count) =>
        product.Stock is { } left && inCart + count > left
            ? left - inCart <= 0
                ? ($"Sorry, {product.Title} is sold out.", true)
                : ($"Only {left - inCart} of {product.Title} {(left - inCart == 1 ? "is" : "are")} left.", false)
            : inCart + count > CatalogLimits.MaxQuantity
                ? ($"At most {CatalogLimits.MaxQuantity} of one item in an order.", false)
                : null;

    /// <summary>
    /// Several items typed at once ("3 croissants and a sourdough loaf"): when every part says how
    /// many and names exactly one item with no options to pick, all of them go in the cart together
    /// (or, if one cannot, none and the customer is told why). Null when the words are not such a
    /// list; they are then read as one item, and nothing is guessed.
    /// </summary>
    private async Task<FlowStep?> TypedItemsAsync(Dictionary<string, string> data, string? text, IReadOnlyList<string> phrases, CancellationToken cancellationToken, bool again)
    {
        var parts = OrderingShortcut.ReadSeveral(text, phrases);
        if (parts.Count < 2 || parts.Any(p => p.Quantity is null))
        {
            return null;
        }

        var lines = new List<(OfferedProduct Product, int Count)>();
        foreach (var part in parts)
        {
            if (await FindTypedAsync(part.Text!, cancellationToken) is not [{ HasVariants: false } product])
            {
                return null;
            }

            lines.Add((product, part.Quantity!.Value));
        }

        var cart = Cart.Read(data.GetValueOrDefault(Keys.Cart));
        foreach (var (product, count) in lines)
        {
            if (Refusal(product, cart.Where(l => l.ProductId == product.Id).Sum(l => l.Quantity), count) is { } refused)
            {
                return again ? new FlowStep.Again(refused.Why) : await CategoriesAsync(data, refused.Why, cancellationToken);
            }

            cart = Cart.Add(cart, product.Id, count);
        }

        data[Keys.Cart] = Cart.Write(cart);
        data.Remove(Keys.Item);
        return await AskAsync(Steps.Cart, data, $"Added {string.Join(" and ", lines.Select(l => $"{l.Count} × {l.Product.Title}"))}.", cancellationToken);
    }

    /// <summary>The items typed words name: a search for them, or failing that the names they hold among other words.</summary>
    private async Task<IReadOnlyList<OfferedProduct>> FindTypedAsync(string text, CancellationToken cancellationToken)
    {
        var found = await catalog.SearchAsync(text, 5, cancellationToken);
        // Other words around the item ("deliver one chocolate fudge cake to my house"): the items they name.
        return found.Count > 0 ? found : await catalog.NamedInAsync(text, 5, cancellationToken);
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

    /// <summary>
    /// Typed words that may name items (<paramref name="phrases"/>, the ordering phrases, left out):
    /// several at once (<see cref="TypedItemsAsync"/>), or one, taken when the words name exactly one;
    /// otherwise the customer is shown the list (never a guess).
    /// </summary>
    private async Task<FlowStep> TypedItemAsync(
        Dictionary<string, string> data, string? text, IReadOnlyList<string> phrases, string? fallback, CancellationToken cancellationToken, bool again = false)
    {
        if (await TypedItemsAsync(data, text, phrases, cancellationToken, again) is { } several)
        {
            return several;
        }

        var words = OrderingShortcut.Read(text, phrases);
        var found = words.Text is null ? [] : await FindTypedAsync(words.Text, cancellationToken);
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
}
