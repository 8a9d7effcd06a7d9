using LeadsPeer.Core.Conversations;

namespace LeadsPeer.Core.WhatsApp.Templates;

/// <summary>Who sends a template: an operator from the composer, or the product itself (order and booking updates).</summary>
public enum TemplateSender
{
    Operator,
    System,
}

/// <summary>
/// Who may be sent a template — the one place the rule is written. Our privacy policy says we
/// collect nothing from people who have not messaged the business, so templates go only to
/// customers who wrote to this number first (a conversation exists only because they did; there
/// is no contact import and no sending to a typed-in number). A customer who wrote STOP gets no
/// template of any category until they write START (inside an open window they can still be
/// answered in free text). Only templates Meta approved are sent, and the product's own updates
/// go only as UTILITY templates — by the category Meta last gave, since Meta may re-categorise.
/// </summary>
public static class TemplatePolicy
{
    public const string NeverWrote = "This customer never wrote to the business: templates go only to customers who wrote first.";
    public const string OptedOut = "The customer opted out (STOP): no templates until they write START.";

    public const string Restricted = "The business marked this customer 'do not process': no templates are sent to them.";

    /// <summary>Why the customer of <paramref name="conversation"/> may not be sent a template at all now; null when they may.</summary>
    public static string? ContactRefusal(Contact contact, Conversation conversation) =>
        conversation.LastInboundAt is null || conversation.ContactId != contact.Id ? NeverWrote
        : contact.OptedOutAt is not null ? OptedOut
        : contact.RestrictedAt is not null ? Restricted
        : null;

    /// <summary>Why <paramref name="template"/> may not be sent to this customer by <paramref name="sender"/>; null when it may.</summary>
    public static string? Refusal(Contact contact, Conversation conversation, MessageTemplate template, TemplateSender sender)
    {
        if (ContactRefusal(contact, conversation) is { } refusal)
        {
            return refusal;
        }

        if (template.Status != TemplateStatus.Approved)
        {
            return $"Only approved templates are sent; '{template.Name}' ({template.Language}) is {MetaNames.Of(template.Status)}{(template.StatusReason is { } reason ? $": {reason}" : "")}.";
        }

        if (template.Category == TemplateCategory.Authentication)
        {
            return "Authentication templates carry one-time codes; they are not sent from conversations.";
        }

        return sender == TemplateSender.System && template.Category != TemplateCategory.Utility
            ? $"The product's own updates go only as UTILITY templates; Meta now lists '{template.Name}' as {MetaNames.Of(template.Category)}."
            : null;
    }
}
