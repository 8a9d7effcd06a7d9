using Bunit;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Web.Components.Pages.WhatsApp;

namespace LeadsPeer.Web.Tests.WhatsApp;

public sealed class ConnectionCardTests : WebComponentTest
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static ConnectionSummary Connection(
        WhatsAppConnectionKind kind = WhatsAppConnectionKind.EmbeddedSignup,
        WhatsAppConnectionStatus status = WhatsAppConnectionStatus.Active,
        string? quality = "GREEN", string? reason = null, DateTimeOffset? lastWebhook = null) =>
        new(Guid.NewGuid(), kind, status, "109876543210", "204567890123", "+1 555 010 2030", "Dana's Bakery", quality, reason, Now.AddDays(-3), lastWebhook);

    [Fact]
    public void An_active_number_shows_its_quality_and_when_meta_last_called()
    {
        var card = Render<ConnectionCard>(p => p.Add(c => c.Connection, Connection(lastWebhook: Now.AddMinutes(-12))).Add(c => c.Now, Now));

        Assert.Equal("+1 555 010 2030", card.Find("[data-testid=connection-number]").TextContent);
        Assert.Equal("Active", card.Find("[data-testid=connection-status]").TextContent.Trim());
        Assert.Equal("High (green)", card.Find("[data-testid=connection-quality]").TextContent);
        Assert.Equal("12 min ago", card.Find("[data-testid=connection-last-webhook]").TextContent);
        Assert.Empty(card.FindAll("[data-testid=connection-reason]"));
    }

    [Fact]
    public void A_number_whose_token_meta_rejected_says_why_and_what_to_do()
    {
        var card = Render<ConnectionCard>(p => p
            .Add(c => c.Connection, Connection(status: WhatsAppConnectionStatus.NeedsReauthorization, quality: "RED",
                reason: "Meta rejected the access token (error 190)."))
            .Add(c => c.Now, Now));

        Assert.Equal("Needs re-authorisation", card.Find("[data-testid=connection-status]").TextContent.Trim());
        Assert.Contains("Meta rejected the access token", card.Find("[data-testid=connection-reason]").TextContent);
        Assert.Contains("Connect the number again with Meta", card.Find("[data-testid=connection-reason]").TextContent);
        Assert.StartsWith("Low (red)", card.Find("[data-testid=connection-quality]").TextContent);
        Assert.StartsWith("None yet", card.Find("[data-testid=connection-last-webhook]").TextContent);
    }

    [Fact]
    public void Remove_asks_the_page_and_is_disabled_while_an_action_runs()
    {
        var removed = 0;
        var card = Render<ConnectionCard>(p => p
            .Add(c => c.Connection, Connection(WhatsAppConnectionKind.Sandbox, quality: null))
            .Add(c => c.OnRemove, () => removed++));

        card.Find("[data-testid=connection-remove]").Click();
        card.Render(p => p.Add(c => c.Busy, true));

        Assert.Equal(1, removed);
        Assert.True(card.Find("[data-testid=connection-remove]").HasAttribute("disabled"));
        Assert.Equal("Not rated yet", card.Find("[data-testid=connection-quality]").TextContent);
        Assert.Contains("write to the number from the customer phone", card.Find("[data-testid=connection-last-webhook]").TextContent);
    }
}
