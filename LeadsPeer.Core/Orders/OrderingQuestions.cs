using System.Text;
using LeadsPeer.Core.Conversations.Interactive;
using LeadsPeer.Core.Ordering;

namespace LeadsPeer.Core.Orders;

/// <summary>The ordering flow's messages, fitted to WhatsApp's limits (a long product name is cut in the row's title and kept in its description).</summary>
internal static class OrderingQuestions
{
    /// <summary>Rows a list page shows; the tenth is "More…" when there are more.</summary>
    public const int RowsPerPage = InteractiveLimits.MaxRows - 1;
    public const string MoreId = "more";

    public static InteractiveContent Buttons(string body, params (string Id, string Title)[] buttons) =>
        new(InteractiveMessages.Button, Cut(body, InteractiveLimits.Body), Buttons: [.. buttons.Select(b => new ReplyButton(b.Id, Cut(b.Title, InteractiveLimits.ButtonTitle)))]);

    public static InteractiveContent List(string body, string button, IEnumerable<ListRow> rows, bool more)
    {
        var shown = rows.Take(more ? RowsPerPage : InteractiveLimits.MaxRows).ToList();
        if (more)
        {
            shown.Add(new ListRow(MoreId, "More…", "See the next items"));
        }

        return new InteractiveContent(InteractiveMessages.List, Cut(body, InteractiveLimits.Body), Button: Cut(button, InteractiveLimits.ListButton),
            Sections: [new ListSection(null, shown)]);
    }

    /// <summary>A list row; a title longer than WhatsApp shows is cut, and the whole name leads the description.</summary>
    public static ListRow Row(string id, string title, string? description = null)
    {
        if (title.Length > InteractiveLimits.RowTitle)
        {
            description = description is null ? title : $"{title} · {description}";
        }

        return new ListRow(id, Cut(title, InteractiveLimits.RowTitle), description is null ? null : Cut(description, InteractiveLimits.RowDescription));
    }

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

    public static string Cut(string text, int limit) => text.Length <= limit ? text : text[..(limit - 1)].TrimEnd() + "…";
}
