using LeadsPeer.Core.Catalog;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Ordering;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Orders;

public sealed record OrderLineView(string Sku, string Name, decimal UnitPrice, int Quantity, decimal LineTotal);

/// <summary>An order as the team sees it; amounts in <see cref="Currency"/>.</summary>
public sealed record OrderView(
    Guid Id,
    string Reference,
    OrderStatus Status,
    IReadOnlyList<OrderStatus> NextStatuses,
    string? CustomerName,
    Guid? ConversationId,
    Fulfilment Fulfilment,
    string? DeliveryArea,
    string? Address,
    string? PickupTime,
    PaymentMethod PaymentMethod,
    string Currency,
    decimal Subtotal,
    decimal DeliveryFee,
    decimal Total,
    string TotalText,
    string? CancelReason,
    string? NotNotifiedReason,
    IReadOnlyList<OrderLineView> Lines,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static OrderView Of(Order o) => new(
        o.Id, o.Reference, o.Status, OrderLifecycle.NextOf(o.Status), o.CustomerName, o.ConversationId, o.Fulfilment, o.DeliveryArea, o.Address, o.PickupTime,
        o.PaymentMethod, o.Currency, Money.ToAmount(o.SubtotalMinor, o.Currency), Money.ToAmount(o.DeliveryFeeMinor, o.Currency), Money.ToAmount(o.TotalMinor, o.Currency),
        Money.Format(o.TotalMinor, o.Currency), o.CancelReason, o.NotNotifiedReason,
        [.. o.Lines.Select(l => new OrderLineView(l.Sku, l.Name, Money.ToAmount(l.UnitPriceMinor, o.Currency), l.Quantity, Money.ToAmount(l.LineTotalMinor, o.Currency)))],
        o.CreatedAt, o.UpdatedAt);
}

/// <summary>The cart of a customer who is ordering right now, as an operator who takes the conversation sees it.</summary>
public sealed record FlowCartView(string Step, IReadOnlyList<string> Lines, string Subtotal);

public sealed record OrderPage(IReadOnlyList<OrderView> Items, IReadOnlyDictionary<OrderStatus, int> Counts, string? NextCursor);

/// <summary>The team's reads of the orders: newest first, by status, by reference or name, a conversation's.</summary>
public sealed class OrderQueries(LeadsPeerDbContext db, CartPricing pricing)
{
    public const int PageSize = 50;

    public async Task<Outcome<OrderPage>> ListAsync(OrderStatus? status, string? search, string? cursor, CancellationToken cancellationToken)
    {
        if (!KeysetCursor.TryRead(cursor, out var position))
        {
            return UseCaseError.Invalid("cursor", "The cursor is not one this list handed out.");
        }

        var query = db.Orders.AsNoTracking();
        if (status is { } wanted)
        {
            query = query.Where(o => o.Status == wanted);
        }

        if (search?.Trim() is { Length: > 0 } words)
        {
            var pattern = $"%{words.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_")}%";
            query = query.Where(o => EF.Functions.ILike(o.Reference, pattern) || (o.CustomerName != null && EF.Functions.ILike(o.CustomerName, pattern)));
        }

        if (position is { } after)
        {
            query = query.Where(o => o.CreatedAt < after.At || (o.CreatedAt == after.At && o.Id.CompareTo(after.Id) < 0));
        }

        var rows = await query.Include(o => o.Lines).OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id).Take(PageSize + 1)
            .AsSplitQuery().ToListAsync(cancellationToken);
        var counts = await db.Orders.GroupBy(o => o.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var next = rows.Count > PageSize ? KeysetCursor.Write(0, rows[PageSize - 1].CreatedAt, rows[PageSize - 1].Id) : null;
        return new OrderPage([.. rows.Take(PageSize).Select(OrderView.Of)], counts, next);
    }

    public async Task<Outcome<OrderView>> GetAsync(Guid id, CancellationToken cancellationToken) =>
        await db.Orders.AsNoTracking().Include(o => o.Lines).SingleOrDefaultAsync(o => o.Id == id, cancellationToken) is { } order
            ? OrderView.Of(order)
            : UseCaseError.NotFound("There is no such order.");

    /// <summary>The cart so far when the conversation's customer is in the ordering flow; null otherwise.</summary>
    public async Task<FlowCartView?> CartInFlowAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        var state = await db.FlowStates.AsNoTracking().SingleOrDefaultAsync(s => s.ConversationId == conversationId && s.Flow == OrderingFlow.FlowName, cancellationToken);
        var settings = await db.OrderingSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (state is null || settings?.Currency is null)
        {
            return null;
        }

        var data = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(state.Data) ?? [];
        var cart = await pricing.PriceAsync(Cart.Read(data.GetValueOrDefault(OrderingKeys.Cart)), settings, null, cancellationToken);
        return new FlowCartView(state.Step, [.. cart.Lines.Select(l => $"{l.Quantity} × {l.Title} — {cart.Format(l.LineTotalMinor)}")], cart.Format(cart.SubtotalMinor));
    }

    /// <summary>The orders of a conversation's customer, newest first (the conversation view shows them beside the thread).</summary>
    public async Task<IReadOnlyList<OrderView>> ForConversationAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        var contact = await db.Conversations.Where(c => c.Id == conversationId).Select(c => (Guid?)c.ContactId).SingleOrDefaultAsync(cancellationToken);
        var orders = await db.Orders.AsNoTracking().Include(o => o.Lines).Where(o => o.ContactId != null && o.ContactId == contact)
            .OrderByDescending(o => o.CreatedAt).Take(20).ToListAsync(cancellationToken);
        return [.. orders.Select(OrderView.Of)];
    }
}
