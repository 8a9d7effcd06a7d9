using System.Text;
using LeadsPeer.Core.Catalog;
using LeadsPeer.Core.Ordering;

namespace LeadsPeer.Core.Orders;

/// <summary>What the customer is told once an order is placed: its reference, what they bought, how it reaches them and how to pay.</summary>
internal static class OrderingMessages
{
    public static string Confirmation(Order order, OrderingSettings settings)
    {
        var text = new StringBuilder($"Thank you! Your order *{order.Reference}* is placed.\n");
        foreach (var line in order.Lines)
        {
            text.Append($"{line.Quantity} × {line.Name} — {Money.Format(line.LineTotalMinor, order.Currency)}\n");
        }

        if (order.Fulfilment == Fulfilment.Delivery)
        {
            text.Append($"Delivery — {(order.DeliveryFeeMinor == 0 ? "free" : Money.Format(order.DeliveryFeeMinor, order.Currency))}\n");
        }

        text.Append($"*Total — {Money.Format(order.TotalMinor, order.Currency)}* ({OrderingQuestions.Payment(order.PaymentMethod)})\n");
        if (OrderingQuestions.PaymentInstructions(order.PaymentMethod, settings) is { } pay)
        {
            text.Append(pay).Append('\n');
        }

        text.Append($"We'll message you here as it moves on. Write \"status {order.Reference}\" any time to check on it.");
        return text.ToString();
    }
}
