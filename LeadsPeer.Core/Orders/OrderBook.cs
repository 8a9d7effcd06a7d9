using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Live;
using LeadsPeer.Core.Ordering;
using LeadsPeer.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Orders;

/// <summary>A confirmed cart, as the ordering flow (or a tool) hands it over.</summary>
public sealed record PlaceOrder(
    Guid CartId,
    Conversation Conversation,
    IReadOnlyList<CartLine> Lines,
    Fulfilment Fulfilment,
    string? DeliveryArea,
    string? Address,
    string? PickupTime,
    PaymentMethod PaymentMethod,
    long QuotedTotalMinor);

/// <summary>What placing an order came to.</summary>
public abstract record PlaceResult
{
    private PlaceResult()
    {
    }

    /// <summary>The order; <paramref name="Again"/> when this cart had been placed already (a second Confirm).</summary>
    public sealed record Placed(Order Order, bool Again) : PlaceResult;

    /// <summary>The cart is not what the customer confirmed (a price changed, an item sold out): show them <paramref name="Cart"/> and ask again.</summary>
    public sealed record Changed(PricedCart Cart, string Why) : PlaceResult;

    /// <summary>It cannot be ordered at all now (ordering switched off, an empty cart).</summary>
    public sealed record Refused(string Why) : PlaceResult;
}

/// <summary>
/// The one owner of <see cref="Order"/>: places orders from confirmed carts and moves their status.
/// Placing is one transaction that takes the stock with conditional updates (two customers can
/// never both buy the last one), numbers the order under the settings row's lock and stores it
/// once per cart. Each move is checked by <see cref="OrderLifecycle"/>, audited, announced live and
/// told to the customer (<see cref="OrderUpdates"/>); a cancellation puts the stock back.
/// </summary>
public sealed class OrderBook(
    LeadsPeerDbContext db, TenantContext tenant, CurrentMember member, AuditLog audit, CartPricing pricing, OrderUpdates updates, LiveEventPublisher live, TimeProvider time)
{
    public const string ClosedText = "Ordering is closed at the moment.";

    public async Task<PlaceResult> PlaceAsync(PlaceOrder request, CancellationToken cancellationToken)
    {
        if (await FindByCartAsync(request.CartId, cancellationToken) is { } placed)
        {
            return new PlaceResult.Placed(placed, Again: true);
        }

        var settings = await db.OrderingSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (settings is not { Enabled: true, Currency: not null })
        {
            return new PlaceResult.Refused(ClosedText);
        }

        if (request.Lines.Count == 0 || request.Lines.Any(l => l.Quantity is <= 0 or > Catalog.CatalogLimits.MaxQuantity))
        {
            return new PlaceResult.Refused(request.Lines.Count == 0 ? "The cart is empty." : $"Each item is ordered 1 to {Catalog.CatalogLimits.MaxQuantity} times.");
        }

        var cart = await pricing.PriceAsync(request.Lines, settings, request.Fulfilment, cancellationToken);
        if (Unorderable(cart, settings, request.QuotedTotalMinor) is { } why)
        {
            return new PlaceResult.Changed(cart, why);
        }

        var tenantId = request.Conversation.TenantId;
        var now = time.GetUtcNow();
        // Read before the transaction: the stock's row locks are held as briefly as possible.
        var contact = await db.Contacts.AsNoTracking().SingleAsync(c => c.Id == request.Conversation.ContactId, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Rows in one order (by id), so two carts sharing products lock them without deadlocking.
        foreach (var line in request.Lines.OrderBy(l => l.ProductId))
        {
            var taken = await db.Database.ExecuteSqlInterpolatedAsync($"""
                UPDATE products SET stock = stock - {line.Quantity}
                WHERE id = {line.ProductId} AND tenant_id = {tenantId} AND available AND (stock IS NULL OR stock >= {line.Quantity})
                """, cancellationToken);
            if (taken == 0)
            {
                // Someone else took the last ones since the cart was priced: the customer sees what is left.
                await transaction.RollbackAsync(cancellationToken);
                var repriced = await pricing.PriceAsync(request.Lines, settings, request.Fulfilment, cancellationToken);
                return new PlaceResult.Changed(repriced, string.Join(" ", repriced.Problems.DefaultIfEmpty("An item's stock changed.")));
            }
        }

        var number = await db.Database.SqlQuery<int>($"""
            UPDATE ordering_settings SET next_order_number = next_order_number + 1 WHERE tenant_id = {tenantId}
            RETURNING next_order_number - 1 AS "Value"
            """).ToListAsync(cancellationToken); // not composed over: an UPDATE cannot be a subquery
        var order = new Order
        {
            TenantId = tenantId,
            Reference = $"{settings.ReferencePrefix}-{number.Single()}",
            CartId = request.CartId,
            ContactId = contact.Id,
            ConversationId = request.Conversation.Id,
            CustomerName = contact.DisplayName ?? contact.ProfileName,
            Status = OrderStatus.New,
            Fulfilment = request.Fulfilment,
            DeliveryArea = request.Fulfilment == Fulfilment.Delivery ? request.DeliveryArea : null,
            Address = request.Fulfilment == Fulfilment.Delivery ? request.Address : null,
            PickupTime = request.Fulfilment == Fulfilment.Pickup ? request.PickupTime : null,
            PaymentMethod = request.PaymentMethod,
            Currency = cart.Currency,
            SubtotalMinor = cart.SubtotalMinor,
            DeliveryFeeMinor = cart.DeliveryFeeMinor,
            TotalMinor = cart.TotalMinor,
            CreatedAt = now,
            UpdatedAt = now,
            Lines = [.. cart.Lines.Select(l => new OrderLine
            {
                TenantId = tenantId, ProductId = l.ProductId, Sku = l.Sku, Name = l.Title, UnitPriceMinor = l.UnitPriceMinor, Quantity = l.Quantity, LineTotalMinor = l.LineTotalMinor,
            })],
        };
        db.Orders.Add(order);
        audit.Record("order.placed", nameof(Order), order.Id, order.Reference);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (StoreErrors.IsUniqueViolation(ex))
        {
            // The same cart confirmed twice at once (two taps, two wamids): the other run placed it.
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return await FindByCartAsync(request.CartId, cancellationToken) is { } other
                ? new PlaceResult.Placed(other, Again: true)
                : throw new InvalidOperationException("An order's unique key was taken by an order that cannot be found.", ex);
        }

        await live.PublishAsync(tenantId, new LiveEvent(LiveEventTypes.OrderChanged, ConversationId: order.ConversationId, Status: order.Status.ToString(), OrderId: order.Id));
        return new PlaceResult.Placed(order, Again: false);
    }

    /// <summary>A team member moves the order on (every member may), or cancels it with a reason; the customer is told.</summary>
    public async Task<Outcome<Order>> MoveAsync(Guid id, OrderStatus to, string? reason, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.HandleConversations) is { } refused)
        {
            return refused;
        }

        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (to == OrderStatus.Cancelled && reason is null)
        {
            return UseCaseError.Invalid("reason", "Say why the order is cancelled: the customer is told.");
        }

        if (reason?.Length > OrderingLimits.Text)
        {
            return UseCaseError.Invalid("reason", $"A reason is at most {OrderingLimits.Text} characters.");
        }

        return await ApplyAsync(id, to, reason, byCustomer: false, cancellationToken);
    }

    /// <summary>The customer cancels their own order, before it is being prepared.</summary>
    public async Task<Outcome<Order>> CancelByCustomerAsync(Guid id, CancellationToken cancellationToken) =>
        await ApplyAsync(id, OrderStatus.Cancelled, "Cancelled by the customer.", byCustomer: true, cancellationToken);

    private async Task<Outcome<Order>> ApplyAsync(Guid id, OrderStatus to, string? reason, bool byCustomer, CancellationToken cancellationToken)
    {
        Order order;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // The row lock orders this move with any other on the same order (two operators, a customer cancelling).
            await db.Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM orders WHERE id = {id} AND tenant_id = {tenant.TenantId} FOR UPDATE", cancellationToken);
            var locked = await db.Orders.Include(o => o.Lines).SingleOrDefaultAsync(o => o.Id == id, cancellationToken);
            if (locked is null)
            {
                return UseCaseError.NotFound("There is no such order.");
            }

            order = locked;
            if (!OrderLifecycle.Allows(order.Status, to) || (byCustomer && !OrderLifecycle.CustomerMayCancel(order.Status)))
            {
                return new UseCaseError(FailureKind.Conflict, byCustomer
                    ? $"Order {order.Reference} is {OrderLifecycle.Words(order.Status)}, so it can no longer be cancelled here."
                    : $"An order that is {OrderLifecycle.Words(order.Status)} cannot move to {to}.")
                { Facts = new Dictionary<string, object?> { ["status"] = order.Status.ToString() } };
            }

            var from = order.Status;
            order.Status = to;
            order.CancelReason = to == OrderStatus.Cancelled ? reason : order.CancelReason;
            order.UpdatedAt = time.GetUtcNow();
            if (to == OrderStatus.Cancelled)
            {
                foreach (var line in order.Lines.Where(l => l.ProductId is not null))
                {
                    await db.Database.ExecuteSqlInterpolatedAsync(
                        $"UPDATE products SET stock = stock + {line.Quantity} WHERE id = {line.ProductId} AND tenant_id = {order.TenantId} AND stock IS NOT NULL", cancellationToken);
                }
            }

            audit.Record(byCustomer ? "order.cancelled-by-customer" : "order.status", nameof(Order), order.Id, $"{order.Reference}: {from} → {to}{(reason is null ? "" : $" ({reason})")}");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await live.PublishAsync(order.TenantId, new LiveEvent(LiveEventTypes.OrderChanged, ConversationId: order.ConversationId, Status: order.Status.ToString(), OrderId: order.Id));
        if (!byCustomer)
        {
            // After the move is committed: the customer is never told of a change that did not happen.
            order.NotNotifiedReason = await updates.NotifyAsync(order, cancellationToken);
            await db.Orders.Where(o => o.Id == order.Id).ExecuteUpdateAsync(o => o.SetProperty(x => x.NotNotifiedReason, order.NotNotifiedReason), cancellationToken);
        }

        return order;
    }

    private Task<Order?> FindByCartAsync(Guid cartId, CancellationToken cancellationToken) =>
        db.Orders.AsNoTracking().Include(o => o.Lines).SingleOrDefaultAsync(o => o.CartId == cartId, cancellationToken);

    /// <summary>Why the priced cart cannot be ordered as the customer confirmed it; null when it can.</summary>
    private static string? Unorderable(PricedCart cart, OrderingSettings settings, long quoted)
    {
        if (cart.Problems.Any())
        {
            return string.Join(" ", cart.Problems);
        }

        if (cart.SubtotalMinor < settings.MinimumOrderMinor)
        {
            return $"The minimum order is {cart.Format(settings.MinimumOrderMinor)}.";
        }

        return cart.TotalMinor != quoted ? $"The prices changed since you saw the total: it is now {cart.Format(cart.TotalMinor)}." : null;
    }
}
