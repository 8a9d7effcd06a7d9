using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.WhatsApp.Templates;

namespace LeadsPeer.Core.Tests.Templates;

/// <summary>Who may be sent a template — one case per test, as the privacy policy and Meta's rules say.</summary>
public sealed class TemplatePolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static (Contact Contact, Conversation Conversation) Customer(bool wrote = true, bool optedOut = false)
    {
        var contact = new Contact { CustomerKey = "15550000001", WaId = "15550000001", OptedOutAt = optedOut ? Now.AddDays(-1) : null };
        var conversation = new Conversation { ContactId = contact.Id, LastInboundAt = wrote ? Now.AddDays(-3) : null, WindowExpiresAt = wrote ? Now.AddDays(-2) : null };
        return (contact, conversation);
    }

    private static MessageTemplate Template(TemplateCategory category = TemplateCategory.Utility, TemplateStatus status = TemplateStatus.Approved, string? reason = null) =>
        new() { Name = "order_ready", Language = "en_US", Category = category, Status = status, StatusReason = reason, Components = "[]" };

    [Fact]
    public void A_customer_who_wrote_first_may_get_an_approved_template_of_either_category_from_an_operator()
    {
        var (contact, conversation) = Customer();

        Assert.Null(TemplatePolicy.Refusal(contact, conversation, Template(TemplateCategory.Utility), TemplateSender.Operator));
        Assert.Null(TemplatePolicy.Refusal(contact, conversation, Template(TemplateCategory.Marketing), TemplateSender.Operator));
    }

    [Fact]
    public void Someone_who_never_wrote_to_the_business_gets_nothing()
    {
        var (contact, conversation) = Customer(wrote: false);

        Assert.Equal(TemplatePolicy.NeverWrote, TemplatePolicy.Refusal(contact, conversation, Template(), TemplateSender.Operator));
        Assert.Equal(TemplatePolicy.NeverWrote, TemplatePolicy.ContactRefusal(contact, conversation));
    }

    [Fact]
    public void A_conversation_of_another_customer_does_not_count_as_this_one_having_written()
    {
        var (contact, _) = Customer();
        var (_, someoneElses) = Customer();

        Assert.Equal(TemplatePolicy.NeverWrote, TemplatePolicy.ContactRefusal(contact, someoneElses));
    }

    [Theory]
    [InlineData(TemplateCategory.Marketing, TemplateSender.Operator)]
    [InlineData(TemplateCategory.Utility, TemplateSender.Operator)]
    [InlineData(TemplateCategory.Utility, TemplateSender.System)]
    public void A_customer_who_wrote_STOP_gets_no_template_of_any_category(TemplateCategory category, TemplateSender sender)
    {
        var (contact, conversation) = Customer(optedOut: true);

        Assert.Equal(TemplatePolicy.OptedOut, TemplatePolicy.Refusal(contact, conversation, Template(category), sender));
    }

    [Theory]
    [InlineData(TemplateStatus.Pending)]
    [InlineData(TemplateStatus.Rejected)]
    [InlineData(TemplateStatus.Paused)]
    [InlineData(TemplateStatus.Disabled)]
    [InlineData(TemplateStatus.Unknown)]
    public void Only_approved_templates_go(TemplateStatus status)
    {
        var (contact, conversation) = Customer();

        Assert.Contains("Only approved templates", TemplatePolicy.Refusal(contact, conversation, Template(status: status, reason: "LOW_QUALITY"), TemplateSender.Operator));
    }

    [Fact]
    public void The_product_s_own_updates_go_only_as_UTILITY_by_the_category_Meta_last_gave()
    {
        var (contact, conversation) = Customer();

        Assert.Null(TemplatePolicy.Refusal(contact, conversation, Template(TemplateCategory.Utility), TemplateSender.System));
        Assert.Contains("only as UTILITY", TemplatePolicy.Refusal(contact, conversation, Template(TemplateCategory.Marketing), TemplateSender.System));
    }

    [Fact]
    public void Authentication_templates_are_not_sent_from_conversations()
    {
        var (contact, conversation) = Customer();

        Assert.Contains("one-time codes", TemplatePolicy.Refusal(contact, conversation, Template(TemplateCategory.Authentication), TemplateSender.Operator));
    }

    [Theory]
    [InlineData("APPROVED", TemplateStatus.Approved)]
    [InlineData("IN_APPEAL", TemplateStatus.InAppeal)]
    [InlineData("PENDING_DELETION", TemplateStatus.PendingDeletion)]
    [InlineData("LIMIT_EXCEEDED", TemplateStatus.LimitExceeded)]
    [InlineData("SOMETHING_NEW", TemplateStatus.Unknown)]
    [InlineData(null, TemplateStatus.Unknown)]
    public void Meta_s_states_are_read_and_an_unknown_one_is_never_sendable(string? meta, TemplateStatus expected)
    {
        Assert.Equal(expected, MetaNames.Status(meta));
    }
}
