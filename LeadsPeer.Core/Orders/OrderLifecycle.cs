using System.Collections.Frozen;

namespace LeadsPeer.Core.Orders;

/// <summary>
/// Which status an order may move to, and what each status means to the customer. Forward only:
/// an order that is out for delivery does not go back to "preparing"; a mistake is cancelled
/// (with a reason) and ordered again.
/// </summary>
public static class OrderLifecycle
{
    private static readonly FrozenDictionary<OrderStatus, OrderStatus[]> Next = new Dictionary<OrderStatus, OrderStatus[]>
    {
        [OrderStatus.New] = [OrderStatus.Confirmed, OrderStatus.Cancelled],
        [OrderStatus.Confirmed] = [OrderStatus.Preparing, OrderStatus.Cancelled],
        [OrderStatus.Preparing] = [OrderStatus.Ready, OrderStatus.OutForDelivery, OrderStatus.Cancelled],
        [OrderStatus.Ready] = [OrderStatus.OutForDelivery, OrderStatus.Completed, OrderStatus.Cancelled],
        [OrderStatus.OutForDelivery] = [OrderStatus.Completed, OrderStatus.Cancelled],
        [OrderStatus.Completed] = [],
        [OrderStatus.Cancelled] = [],
    }.ToFrozenDictionary();

    public static IReadOnlyList<OrderStatus> NextOf(OrderStatus status) => Next[status];

    public static bool Allows(OrderStatus from, OrderStatus to) => Next[from].Contains(to);

    /// <summary>A customer may cancel until the business starts preparing the order.</summary>
    public static bool CustomerMayCancel(OrderStatus status) => status is OrderStatus.New or OrderStatus.Confirmed;

    public static bool IsOpen(OrderStatus status) => status is not (OrderStatus.Completed or OrderStatus.Cancelled);

    /// <summary>The status in the customer's words ("out for delivery").</summary>
    public static string Words(OrderStatus status) => status switch
    {
        OrderStatus.New => "received",
        OrderStatus.Confirmed => "confirmed",
        OrderStatus.Preparing => "being prepared",
        OrderStatus.Ready => "ready",
        OrderStatus.OutForDelivery => "out for delivery",
        OrderStatus.Completed => "completed",
        _ => "cancelled",
    };

    /// <summary>What the customer is told when their order moves to <paramref name="status"/>.</summary>
    public static string Update(Order order) => order.Status switch
    {
        OrderStatus.Confirmed => $"Your order {order.Reference} is confirmed. We'll let you know when it's on its way.",
        OrderStatus.Preparing => $"We're preparing your order {order.Reference}.",
        OrderStatus.Ready => order.Fulfilment == Fulfilment.Pickup
            ? $"Your order {order.Reference} is ready for pickup."
            : $"Your order {order.Reference} is ready and will be on its way soon.",
        OrderStatus.OutForDelivery => $"Your order {order.Reference} is out for delivery.",
        OrderStatus.Completed => $"Your order {order.Reference} is complete. Thank you!",
        OrderStatus.Cancelled => $"Your order {order.Reference} was cancelled{(order.CancelReason is { } reason ? $": {reason}" : ".")}",
        _ => $"Your order {order.Reference} is {Words(order.Status)}.",
    };
}
