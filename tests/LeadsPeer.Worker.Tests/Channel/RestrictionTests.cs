using LeadsPeer.Core.WhatsApp.Templates;
using LeadsPeer.Testing;
using LeadsPeer.Worker.Replies;

namespace LeadsPeer.Worker.Tests.Channel;

/// <summary>
/// A customer the business marked "do not process" (at their request): the AI sends them nothing,
/// not even the automatic handoff message, and the team gets the turn with that reason; a template
/// to them is refused.
/// </summary>
public sealed class RestrictionTests(TestStores stores)
{
    private const string Ready = """[{"type":"BODY","text":"Your order {{1}} is ready."}]""";

    [Fact]
    public async Task A_restricted_customer_gets_no_automated_reply_and_their_turn_goes_to_the_team()
    {
        await using var channel = await ChannelHarness.CreateAsync(stores);
        await RestrictedCustomerAsync(channel);

        await channel.DeliverTextAsync("What are your opening hours?");
        await channel.StartWorkerAsync();
        await channel.EventuallyAsync(async () => await channel.Db.CountAsync("conversations", "state = 'NeedsHuman'") == 1, "the turn goes to the team");
        await channel.QuiescentAsync();

        Assert.Equal(ReplyHandler.RestrictedReason, await channel.Db.ScalarAsync<string>("SELECT handoff_reason FROM conversations"));
        Assert.Equal(0, await channel.Db.CountAsync("messages", "direction = 'Outbound'"));
        Assert.Empty(channel.Graph.Sent);
    }

    [Fact]
    public async Task A_template_to_a_restricted_customer_is_refused()
    {
        await using var channel = await ChannelHarness.CreateAsync(stores);
        await channel.AddApprovedTemplateAsync("order_ready", Ready);
        await channel.DeliverTextAsync("Is my cake done?");
        await channel.Db.ExecuteAsync("UPDATE contacts SET restricted_at = now()");

        var queued = await channel.EnqueueTemplateAsync(new TemplateMessage("order_ready", Parameters: new Dictionary<string, string> { ["1"] = "GB-1042" }));

        Assert.False(queued.Succeeded);
        Assert.Equal(TemplatePolicy.Restricted, queued.Error!.Title);
    }

    private static Task RestrictedCustomerAsync(ChannelHarness channel) =>
        // The team restricted them after an earlier conversation; ingest keeps the flag on the same customer.
        channel.Db.ExecuteAsync("""
            INSERT INTO contacts (id, tenant_id, connection_id, customer_key, wa_id, restricted_at, created_at)
            VALUES (gen_random_uuid(), $1, $2, $3, $3, now(), now())
            """, channel.TenantId, channel.ConnectionId, ChannelHarness.Customer);
}
