using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Conversations.Interactive;

namespace LeadsPeer.Core.Tests.Conversations;

/// <summary>A customer's tap as Meta delivers it: a reply button, a list row, a template's quick reply — each linked to the message it answers.</summary>
public sealed class TapReadingTests
{
    [Theory]
    [InlineData("""{"context":{"from":"15550783881","id":"wamid.ASKED"},"type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"fudge-1kg","title":"Fudge 1 kg"}}}""", "interactive", "fudge-1kg", "Fudge 1 kg")]
    [InlineData("""{"context":{"from":"15550783881","id":"wamid.ASKED"},"type":"interactive","interactive":{"type":"list_reply","list_reply":{"id":"lemon","title":"Lemon drizzle","description":"1 kg"}}}""", "interactive", "lemon", "Lemon drizzle")]
    [InlineData("""{"context":{"from":"15550783881","id":"wamid.ASKED"},"type":"button","button":{"payload":"confirm-order-42","text":"Confirm"}}""", "button", "confirm-order-42", "Confirm")]
    public void A_tap_names_the_message_it_answers_and_the_choice(string payload, string type, string id, string title)
    {
        var tap = TapRouter.Read(Inbound(type, payload));

        Assert.Equal(("wamid.ASKED", id, title), (tap!.Value.AnsweredWamid, tap.Value.Choice.Id, tap.Value.Choice.Title));
    }

    [Theory]
    [InlineData("text", """{"type":"text","text":{"body":"Fudge 1 kg"}}""")]
    [InlineData("interactive", """{"type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"a","title":"A"}}}""")] // no context: not linked to anything
    [InlineData("interactive", """{"context":{"id":"wamid.ASKED"},"type":"interactive","interactive":{"type":"nfm_reply","nfm_reply":{"response_json":"{}"}}}""")]
    public void Other_messages_are_not_taps(string type, string payload)
    {
        Assert.Null(TapRouter.Read(Inbound(type, payload)));
    }

    [Fact]
    public void The_choices_of_buttons_and_of_a_list_are_read_back_from_what_was_sent()
    {
        var buttons = InteractiveMessages.ToGraph(new InteractiveContent(InteractiveMessages.Button, "Size?", Buttons: [new ReplyButton("s", "Small"), new ReplyButton("l", "Large")]));
        var list = InteractiveMessages.ToGraph(new InteractiveContent(InteractiveMessages.List, "Pick", Button: "Cakes",
            Sections: [new ListSection("A", [new ListRow("a1", "One")]), new ListSection("B", [new ListRow("b1", "Two", "2 kg")])]));
        var link = InteractiveMessages.ToGraph(new InteractiveContent(InteractiveMessages.CtaUrl, "Menu", DisplayText: "Open", Url: "https://x.example"));

        Assert.Equal([new Choice("s", "Small"), new Choice("l", "Large")], InteractiveMessages.ChoicesOf(buttons));
        Assert.Equal([new Choice("a1", "One"), new Choice("b1", "Two")], InteractiveMessages.ChoicesOf(list));
        Assert.Empty(InteractiveMessages.ChoicesOf(link));
        Assert.Null(InteractiveMessages.Validate(new InteractiveContent(InteractiveMessages.List, "Pick", Button: "Cakes", Sections: [new ListSection(null, [new ListRow("a1", "One")])])));
    }

    private static Message Inbound(string type, string payload) => new()
    {
        Direction = MessageDirection.Inbound,
        Type = type,
        Payload = payload,
    };
}
