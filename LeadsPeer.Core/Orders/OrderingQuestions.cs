using System.Text;
using LeadsPeer.Core.Ordering;
using static LeadsPeer.Core.Flows.FlowMessages;

namespace LeadsPeer.Core.Orders;

/// <summary>The ordering flow's own wording: the cart's lines, payment methods and what paying needs.</summary>
internal static class OrderingQuestions
{
    /// <summary>The cart, line by line, with the fee and the total the server computed.</summary>
    public static string Lines(PricedCart cart, bool withFee)
    {
        var text = new StringBuilder();
        const int shownLines = 15;
        foreach (var line in cart.Lines.Take(shownLines))
        {
            text.Append($"{line.Quantity} × {line.Title} — {cart.Format(line.LineTotalMinor)}\n");
        }

        if (cart.Lines.Count > shownLines)
        {
            text.Append($"…and {cart.Lines.Count - shownLines} more items\n");
        }

        if (withFee)
        {
            text.Append($"Delivery — {(cart.DeliveryFeeMinor == 0 ? "free" : cart.Format(cart.DeliveryFeeMinor))}\n");
        }

        text.Append($"*Total — {cart.Format(withFee ? cart.TotalMinor : cart.SubtotalMinor)}*");
        return text.ToString();
    }

    public static string Payment(PaymentMethod method) => PaymentMethods.Name(method);

    /// <summary>What the customer needs to pay, sent with the confirmation.</summary>
    public static string? PaymentInstructions(PaymentMethod method, OrderingSettings settings) => method switch
    {
        PaymentMethod.BankTransfer => $"Please transfer the total to: {settings.BankTransferDetails}",
        PaymentMethod.PaymentLink => $"Pay here: {settings.PaymentLinkUrl}",
        _ => null,
    };

}
