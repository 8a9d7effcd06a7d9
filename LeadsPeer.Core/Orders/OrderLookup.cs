using System.Text.RegularExpressions;
using LeadsPeer.Core.Catalog;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Orders;

/// <summary>
/// Answers "where is my order?", "status GTB-1042", a reference on its own, and "cancel GTB-1042"
/// from PostgreSQL. Only the customer's own orders are found: another customer's reference is
/// "not found", exactly like one that does not exist.
/// </summary>
public sealed partial class OrderLookup(LeadsPeerDbContext db, OrderBook orders)
{
    /// <summary>The answer to the customer's words, or null when they are not about an order's status.</summary>
    public async Task<string?> AnswerAsync(Conversation conversation, Message turn, CancellationToken cancellationToken)
    {
        if (turn.Type != "text" || turn.Text is not { Length: > 0 and <= 200 } text)
        {
            return null;
        }

        // A business that does not take orders here has its orders elsewhere: the agent (or a person) answers.
        if (await db.OrderingSettings.Select(s => new { s.ReferencePrefix, s.Enabled }).SingleOrDefaultAsync(cancellationToken) is not { } settings)
        {
            return null;
        }

        var prefix = settings.ReferencePrefix;
        var reference = Regex.Match(text, $@"\b{Regex.Escape(prefix)}\s?-?\s?(\d{{1,9}})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        var asked = reference.Success ? $"{prefix}-{reference.Groups[1].Value}" : null;
        if (asked is null && !StatusQuestion().IsMatch(text))
        {
            return null;
        }

        var mine = db.Orders.AsNoTracking().Where(o => o.ContactId == conversation.ContactId);
        if (asked is not null)
        {
            var order = await mine.Include(o => o.Lines).SingleOrDefaultAsync(o => o.Reference == asked, cancellationToken);
            if (order is null)
            {
                return $"I couldn't find an order {asked} for this number. Please check the reference.";
            }

            if (CancelWord().IsMatch(text))
            {
                var cancelled = await orders.CancelByCustomerAsync(order.Id, cancellationToken);
                return cancelled.Succeeded
                    ? $"Your order {order.Reference} is cancelled. We hope to see you again soon."
                    : $"{cancelled.Error!.Title} Write \"agent\" to ask the team.";
            }

            return Status(order);
        }

        var recent = await mine.OrderByDescending(o => o.CreatedAt).Take(3).ToListAsync(cancellationToken);
        return recent.Count > 0 ? string.Join("\n", recent.Select(Status))
            : settings.Enabled ? "I couldn't find any orders for this number. Write \"new order\" to place one."
            : null;
    }

    /// <summary>
    /// The status of the customer's own order with this reference, or of their latest orders when
    /// none is named (the language model's <c>order_status</c> tool); another customer's reference is not found.
    /// </summary>
    public async Task<string> StatusAsync(Conversation conversation, string? reference, CancellationToken cancellationToken)
    {
        var mine = db.Orders.AsNoTracking().Where(o => o.ContactId == conversation.ContactId);
        if (!string.IsNullOrWhiteSpace(reference))
        {
            var asked = reference.Trim().ToUpperInvariant();
            var order = await mine.SingleOrDefaultAsync(o => o.Reference == asked, cancellationToken);
            return order is null ? $"No order {(asked.Length > 40 ? asked[..40] : asked)} for this customer." : Status(order);
        }

        var recent = await mine.OrderByDescending(o => o.CreatedAt).Take(3).ToListAsync(cancellationToken);
        return recent.Count == 0 ? "This customer has no orders." : string.Join("\n", recent.Select(Status));
    }

    private static string Status(Order order) =>
        $"Order {order.Reference} ({Money.Format(order.TotalMinor, order.Currency)}, {order.CreatedAt:d MMM}) is {OrderLifecycle.Words(order.Status)}."
        + (order.Status == OrderStatus.Cancelled && order.CancelReason is { } reason ? $" {reason}" : "");

    /// <summary>"Where is my order?", "order status", "has my order left?": a question only the customer's own orders answer.</summary>
    public static bool AsksAboutOwnOrder(string text) => StatusQuestion().IsMatch(text);

    [GeneratedRegex(@"\b(where('s| is)? my order|status of my order|my order status|order status|track my order|has my order|is my order|when will my order)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StatusQuestion();

    [GeneratedRegex(@"\bcancel\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CancelWord();
}
