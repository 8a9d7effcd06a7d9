using Bunit;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.WhatsApp.Templates;
using LeadsPeer.Web.Components.Pages.Conversations;
using LeadsPeer.Web.Components.Pages.Inbox;

namespace LeadsPeer.Web.Tests.Conversations;

public sealed class ConversationComponentTests : WebComponentTest
{
    private static readonly Guid Me = Guid.NewGuid();
    private static readonly Guid Colleague = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static ConversationSummary Summary(ConversationState state, Guid? holder = null, int unread = 0, DateTimeOffset? windowEnds = null, string? reason = null) =>
        new(Guid.NewGuid(), Guid.NewGuid(), "Ada Lovelace", "447700900123", state, holder, reason,
            state == ConversationState.NeedsHuman ? Now.AddMinutes(-7) : null, Now.AddMinutes(-7), Now.AddMinutes(-7),
            windowEnds ?? Now.AddHours(20), unread, new MessagePreview(MessageDirection.Outbound, MessageAuthor.Agent, "text", "Our shop opens at 9.\nSee you!"));

    [Fact]
    public void An_inbox_row_shows_the_customer_the_state_the_wait_and_the_unread_count()
    {
        var waiting = Render<InboxItem>(p => p.Add(i => i.Conversation, Summary(ConversationState.NeedsHuman, unread: 3, reason: "The customer asked for a person."))
            .Add(i => i.Now, Now).Add(i => i.Me, Me));
        var mine = Render<InboxItem>(p => p.Add(i => i.Conversation, Summary(ConversationState.Human, holder: Me, windowEnds: Now.AddMinutes(-1)))
            .Add(i => i.Now, Now).Add(i => i.Me, Me));

        Assert.Contains("Ada Lovelace", waiting.Markup);
        Assert.Equal("Needs a human", waiting.Find("[data-testid=state]").TextContent.Trim());
        Assert.Contains("waiting 7 min ago · The customer asked for a person.", waiting.Find("[data-testid=waiting]").TextContent);
        Assert.Equal("3", waiting.Find("[data-testid=unread]").TextContent.Trim());
        Assert.Equal("AI: Our shop opens at 9. See you!", waiting.Find("[data-testid=preview]").TextContent);
        Assert.Equal("Mine", mine.Find("[data-testid=state]").TextContent.Trim());
        Assert.Contains("24-hour window closed", mine.Find("[data-testid=window-closed]").TextContent);
        Assert.Empty(mine.FindAll("[data-testid=unread]"));
    }

    [Theory]
    [InlineData(ConversationState.Ai, null, new[] { "Claim", "Resolve" })]
    [InlineData(ConversationState.NeedsHuman, null, new[] { "Claim", "HandBack", "Resolve" })]
    [InlineData(ConversationState.Human, "me", new[] { "Release", "HandBack", "Resolve" })]
    [InlineData(ConversationState.Human, "colleague", new[] { "TakeOver" })]
    [InlineData(ConversationState.Resolved, null, new[] { "Reopen" })]
    public void The_claim_button_and_the_other_actions_follow_the_state_and_who_holds_it(ConversationState state, string? holder, string[] expected)
    {
        var actions = Render<ConversationActions>(p => p
            .Add(a => a.Conversation, Summary(state, holder switch { "me" => Me, "colleague" => Colleague, _ => null }))
            .Add(a => a.Me, Me));

        var shown = actions.FindAll("button[data-testid^=action-]").Select(b => b.GetAttribute("data-testid")!["action-".Length..]).ToArray();
        Assert.Equal(expected, shown);
    }

    [Fact]
    public void Actions_wait_while_one_is_running_so_a_double_click_is_one_request()
    {
        var clicks = 0;
        var actions = Render<ConversationActions>(p => p
            .Add(a => a.Conversation, Summary(ConversationState.NeedsHuman)).Add(a => a.Me, Me)
            .Add(a => a.Busy, true).Add(a => a.OnAction, (ConversationAction _) => clicks++));

        Assert.All(actions.FindAll("button[data-testid^=action-]"), b => Assert.True(b.HasAttribute("disabled")));
        Assert.Equal(0, clicks);
    }

    [Fact]
    public void The_composer_is_open_only_to_the_handling_operator_inside_the_window_and_says_why_otherwise()
    {
        var mine = Render<Composer>(p => p.Add(c => c.Conversation, Summary(ConversationState.Human, Me)).Add(c => c.Me, Me).Add(c => c.Now, Now));
        var notMine = Render<Composer>(p => p.Add(c => c.Conversation, Summary(ConversationState.NeedsHuman)).Add(c => c.Me, Me).Add(c => c.Now, Now));
        var closed = Render<Composer>(p => p.Add(c => c.Conversation, Summary(ConversationState.Human, Me, windowEnds: Now.AddSeconds(-1))).Add(c => c.Me, Me).Add(c => c.Now, Now));

        Assert.Null(mine.Instance.DisabledReason);
        Assert.False(mine.Find("textarea").HasAttribute("disabled"));
        Assert.Equal("4096", mine.Find("textarea").GetAttribute("maxlength"));
        Assert.Contains("Take over the conversation to reply.", notMine.Markup);
        Assert.True(notMine.Find("textarea").HasAttribute("disabled"));
        Assert.Contains("24-hour window is closed", closed.Find("[data-testid=window-closed]").TextContent);
        Assert.Empty(closed.FindAll("textarea"));
        Assert.Contains("no approved template", closed.Find("[data-testid=no-templates]").TextContent);
    }

    private static TemplateView Template(string name, params string[] parameters) => new(Guid.NewGuid(), Guid.NewGuid(), name, "en_US",
        TemplateCategory.Utility, TemplateStatus.Approved, null, "GREEN", TemplateParameterFormat.Positional, "Garden Bakes",
        "Hi {{1}}, your order {{2}} is ready.", "Reply STOP to opt out", [new TemplateButton(TemplateButton.QuickReply, "On my way")], parameters, null, Now);

    [Fact]
    public void Outside_the_window_the_composer_offers_the_templates_with_a_field_per_value_and_a_preview_and_sends_the_values()
    {
        var sent = new List<TemplateMessage>();
        var composer = Render<Composer>(p => p.Add(c => c.Conversation, Summary(ConversationState.Resolved, windowEnds: Now.AddHours(-2))).Add(c => c.Me, Me).Add(c => c.Now, Now)
            .Add(c => c.Templates, [Template("order_ready", "1", "2")])
            .Add(c => c.OnSendTemplate, template => { sent.Add(template); return Task.FromResult(true); }));

        Assert.Contains("Sending takes the conversation", composer.Markup);
        var fields = composer.FindAll("input[data-testid=template-parameter], [data-testid=template-parameter] input");
        Assert.Equal(2, fields.Count);
        Assert.True(composer.Find("[data-testid=send-template]").HasAttribute("disabled"));
        fields[0].Input("Sam");
        composer.FindAll("input[data-testid=template-parameter], [data-testid=template-parameter] input")[1].Input("GB-1042");
        Assert.Equal("Hi Sam, your order GB-1042 is ready.", composer.Find("[data-testid=template-preview] .bubble__text").TextContent);
        Assert.Contains("On my way", composer.Find("[data-testid=template-preview]").TextContent);
        composer.Find("[data-testid=send-template]").Click();

        var message = Assert.Single(sent);
        Assert.Equal(("order_ready", "en_US"), (message.Name, message.Language));
        Assert.Equal(new Dictionary<string, string> { ["1"] = "Sam", ["2"] = "GB-1042" }, message.Parameters);
    }

    [Fact]
    public void A_conversation_another_operator_holds_offers_no_way_to_write()
    {
        var composer = Render<Composer>(p => p.Add(c => c.Conversation, Summary(ConversationState.Human, Colleague, windowEnds: Now.AddHours(-2)))
            .Add(c => c.Me, Me).Add(c => c.Now, Now).Add(c => c.Templates, [Template("order_ready", "1", "2")]));

        Assert.Contains("Another operator is handling", composer.Find("[data-testid=composer-reason]").TextContent);
        Assert.Empty(composer.FindAll("[data-testid=template-picker]"));
        Assert.Empty(composer.FindAll("textarea"));
    }

    [Fact]
    public void Inside_the_window_the_operator_offers_choices_as_buttons_or_as_a_list()
    {
        var sent = new List<LeadsPeer.Core.Conversations.Interactive.InteractiveContent>();
        var composer = Render<Composer>(p => p.Add(c => c.Conversation, Summary(ConversationState.Human, Me)).Add(c => c.Me, Me).Add(c => c.Now, Now)
            .Add(c => c.OnSendChoices, choices => { sent.Add(choices); return Task.FromResult(true); }));

        composer.Find("[data-testid=composer-choices-toggle]").Click();
        composer.Find("textarea[data-testid=composer], [data-testid=composer] textarea").Input("Which size?");
        composer.Find("textarea[data-testid=composer-options], [data-testid=composer-options] textarea").Input("Fudge 1 kg\nFudge 2 kg");
        composer.Find("[data-testid=send]").Click();

        var buttons = Assert.Single(sent);
        Assert.Equal(("button", "Which size?"), (buttons.Type, buttons.Body));
        Assert.Equal(["Fudge 1 kg", "Fudge 2 kg"], buttons.Buttons!.Select(b => b.Title));
        Assert.Equal(["1-fudge-1-kg", "2-fudge-2-kg"], buttons.Buttons!.Select(b => b.Id));
    }

    [Fact]
    public void The_composer_sends_once_and_keeps_the_text_when_the_reply_is_refused()
    {
        var sent = new List<string>();
        var accept = false;
        var composer = Render<Composer>(p => p.Add(c => c.Conversation, Summary(ConversationState.Human, Me)).Add(c => c.Me, Me).Add(c => c.Now, Now)
            .Add(c => c.OnSend, text => { sent.Add(text); return Task.FromResult(accept); }));

        composer.Find("textarea").Input("Your order left today.");
        composer.Find("[data-testid=send]").Click();
        var kept = composer.Find("textarea").GetAttribute("value") ?? composer.Find("textarea").TextContent;
        accept = true;
        composer.Find("[data-testid=send]").Click();

        Assert.Equal(["Your order left today.", "Your order left today."], sent);
        Assert.Contains("Your order left today.", kept);
        Assert.True(composer.Find("[data-testid=send]").HasAttribute("disabled")); // cleared after it was accepted
    }

    [Theory]
    [InlineData("text", "Hello!", "Hello!")]
    [InlineData("image", null, "📷 Photo")]
    [InlineData("location", null, "📍 Location")]
    [InlineData("audio", null, "🎤 Voice message")]
    [InlineData("interactive", "Yes, book it", "Yes, book it")]
    [InlineData("order", null, "🛒 Cart sent from the catalog")]
    [InlineData("unsupported", null, "(unsupported message)")]
    public void Each_message_type_is_rendered_with_its_words_or_what_it_is(string type, string? text, string expected)
    {
        var bubble = Render<MessageBubble>(p => p.Add(b => b.Message, new MessageView(Guid.NewGuid(), MessageDirection.Inbound, MessageAuthor.Customer, type, text, MessageStatus.Received, null, null, Now)));

        Assert.Equal(expected, bubble.Find("[data-testid=message-text]").TextContent);
        Assert.Empty(bubble.FindAll("[data-testid=status]"));
    }

    [Fact]
    public void A_message_with_choices_shows_them_and_a_tap_reads_as_the_choice_tapped()
    {
        var offered = Render<MessageBubble>(p => p.Add(b => b.Message, new MessageView(Guid.NewGuid(), MessageDirection.Outbound, MessageAuthor.Operator,
            "interactive", "Which size?", MessageStatus.Delivered, null, null, Now,
            Choices: [new LeadsPeer.Core.Conversations.Interactive.Choice("fudge-1kg", "Chocolate fudge 1 kg"), new LeadsPeer.Core.Conversations.Interactive.Choice("fudge-2kg", "Chocolate fudge 2 kg")])));
        var tap = Render<MessageBubble>(p => p.Add(b => b.Message, new MessageView(Guid.NewGuid(), MessageDirection.Inbound, MessageAuthor.Customer,
            "interactive", "Chocolate fudge 1 kg", MessageStatus.Received, null, null, Now, Tapped: new TappedChoice("fudge-1kg", "Chocolate fudge 1 kg", Guid.NewGuid()))));

        Assert.Equal("Which size?", offered.Find("[data-testid=message-text]").TextContent);
        Assert.Equal(["Chocolate fudge 1 kg", "Chocolate fudge 2 kg"], offered.FindAll(".bubble__choice").Select(c => c.TextContent));
        Assert.Equal("tapped: Chocolate fudge 1 kg", tap.Find("[data-testid=tapped]").TextContent);
        Assert.Empty(tap.FindAll("[data-testid=message-text]"));
    }

    [Fact]
    public void Why_the_AI_declined_or_handed_off_is_shown_to_the_team_and_an_answer_says_nothing_more()
    {
        MessageView Reply(LeadsPeer.Core.Agent.TurnOutcome outcome, string reason) => new(Guid.NewGuid(), MessageDirection.Outbound, MessageAuthor.Agent,
            "text", "Sorry, I can only help with questions about Acme Bikes.", MessageStatus.Delivered, null, null, Now, Outcome: outcome, OutcomeReason: reason);

        var declined = Render<MessageBubble>(p => p.Add(b => b.Message, Reply(LeadsPeer.Core.Agent.TurnOutcome.Decline, "Outside the business.")));
        var answered = Render<MessageBubble>(p => p.Add(b => b.Message, Reply(LeadsPeer.Core.Agent.TurnOutcome.Answer, "A greeting.")));
        var flow = Render<MessageBubble>(p => p.Add(b => b.Message, Reply(LeadsPeer.Core.Agent.TurnOutcome.Flow, "The order flow asked (cart).")));
        var handedOff = Render<MessageBubble>(p => p.Add(b => b.Message, Reply(LeadsPeer.Core.Agent.TurnOutcome.HandOff, "The customer asked for a person.")));

        Assert.Equal("AI declined: Outside the business.", declined.Find("[data-testid=outcome]").TextContent);
        Assert.Equal("Guided flow: The order flow asked (cart).", flow.Find("[data-testid=outcome]").TextContent);
        Assert.Equal("Handed to the team: The customer asked for a person.", handedOff.Find("[data-testid=outcome]").TextContent);
        Assert.Empty(answered.FindAll("[data-testid=outcome]"));
    }

    [Fact]
    public void Outbound_messages_show_their_ticks_failures_doubts_and_the_sources_of_AI_answers()
    {
        MessageView Out(MessageStatus status, MessageAuthor author = MessageAuthor.Operator, int? code = null, string? title = null, IReadOnlyList<SourceSnapshot>? sources = null) =>
            new(Guid.NewGuid(), MessageDirection.Outbound, author, "text", "Hi", status, code, title, Now, sources);

        var read = Render<MessageBubble>(p => p.Add(b => b.Message, Out(MessageStatus.Read)));
        var failed = Render<MessageBubble>(p => p.Add(b => b.Message, Out(MessageStatus.Failed, code: 131026, title: "Message undeliverable")));
        var doubt = Render<MessageBubble>(p => p.Add(b => b.Message, Out(MessageStatus.InDoubt)));
        var answer = Render<MessageBubble>(p => p.Add(b => b.Message, Out(MessageStatus.Delivered, MessageAuthor.Agent,
            sources: [new SourceSnapshot(Guid.NewGuid(), "manual.pdf", "page 4", "The warranty lasts one year.")])));

        Assert.Equal("✓✓ read", read.Find("[data-testid=status]").TextContent);
        Assert.Equal("Message undeliverable (code 131026)", failed.Find("[data-testid=message-error]").TextContent);
        Assert.Contains("Check with the customer before sending it again.", doubt.Find("[data-testid=message-error]").TextContent);
        Assert.Contains("AI agent", answer.Markup);
        var sources = answer.Find("[data-testid=sources]");
        Assert.Contains("manual.pdf · page 4", sources.TextContent);
        Assert.Contains("The warranty lasts one year.", sources.TextContent);
    }
}
