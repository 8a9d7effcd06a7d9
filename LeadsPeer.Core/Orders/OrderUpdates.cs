using System.Globalization;
using LeadsPeer.Core.Catalog;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.WhatsApp.Templates;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Orders;

/// <summary>
/// Tells a customer their order moved: a text inside the 24-hour window, the organisation's
/// UTILITY update template outside it (its variables filled from the order as the settings map
/// them). Both go through the one outbound path, so opt-outs, restrictions and template rules
/// apply as to any other message.
/// </summary>
public sealed class OrderUpdates(LeadsPeerDbContext db, Outbox outbox, TimeProvider time)
{
    /// <summary>Sends the update; returns why the customer could not be told, or null when the message is queued.</summary>
    public async Task<string?> NotifyAsync(Order order, CancellationToken cancellationToken)
    {
        if (order.ConversationId is not { } conversationId
            || await db.Conversations.AsNoTracking().SingleOrDefaultAsync(c => c.Id == conversationId, cancellationToken) is not { } conversation)
        {
            return "The order's conversation no longer exists.";
        }

        var contact = await db.Contacts.AsNoTracking().SingleAsync(c => c.Id == conversation.ContactId, cancellationToken);
        if (TemplatePolicy.ContactRefusal(contact, conversation) is { } refusal && refusal != TemplatePolicy.NeverWrote)
        {
            return refusal;
        }

        if (Window.IsOpen(conversation, time.GetUtcNow()))
        {
            var text = await outbox.EnqueueTextAsync(conversation, OrderLifecycle.Update(order), MessageAuthor.System, authorUserId: null, replyToTurn: null, cancellationToken);
            return text.Succeeded ? null : text.Error!.Title;
        }

        var settings = await db.OrderingSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (settings?.UpdateTemplateName is not { } name)
        {
            return "The 24-hour window is closed and no update template is set in the ordering settings.";
        }

        var values = settings.TemplateParameters().ToDictionary(p => p.Key, p => Field(order, p.Value));
        var sent = await outbox.EnqueueTemplateAsync(conversation, new TemplateMessage(name, settings.UpdateTemplateLanguage, values), TemplateSender.System,
            MessageAuthor.System, authorUserId: null, askedBy: null, cancellationToken);
        return sent.Succeeded ? null : sent.Error!.Errors?.Values.FirstOrDefault()?.FirstOrDefault() ?? sent.Error!.Title;
    }

    private string Field(Order order, string field) => field switch
    {
        Ordering.OrderFields.Reference => order.Reference,
        Ordering.OrderFields.Status => OrderLifecycle.Words(order.Status),
        Ordering.OrderFields.Total => Money.Format(order.TotalMinor, order.Currency),
        Ordering.OrderFields.Time => order.UpdatedAt.ToString("d MMM, HH:mm", CultureInfo.InvariantCulture),
        Ordering.OrderFields.Name => order.CustomerName ?? "there",
        _ => "",
    };
}
