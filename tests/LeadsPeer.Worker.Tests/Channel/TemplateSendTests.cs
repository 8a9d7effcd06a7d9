using LeadsPeer.Core.WhatsApp.Templates;
using LeadsPeer.Testing;

namespace LeadsPeer.Worker.Tests.Channel;

/// <summary>
/// Templates through the one outbound path: posted to Graph as Graph takes them once the window
/// has closed, refused at send time when the customer wrote STOP after it was queued, and failed
/// for good (never retried) when Meta refuses the template itself.
/// </summary>
public sealed class TemplateSendTests(TestStores stores)
{
    private const string OrderReady = """[{"type":"BODY","text":"Hi {{1}}, your order {{2}} is ready."},{"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"On my way"}]}]""";
    private static readonly TemplateMessage Values = new("order_ready", Parameters: new Dictionary<string, string> { ["1"] = "Sam", ["2"] = "GB-1042" }, Buttons: ["coming"]);

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<ChannelHarness> ClosedWindowAsync(TestStores stores)
    {
        var channel = await ChannelHarness.CreateAsync(stores);
        await channel.AddApprovedTemplateAsync("order_ready", OrderReady);
        await channel.DeliverTextAsync("Is my cake done?");
        // The customer wrote a day ago: the window has closed.
        await channel.Db.ExecuteAsync("UPDATE conversations SET window_expires_at = now() - interval '1 hour'");
        await channel.Db.ExecuteAsync("DELETE FROM work_items WHERE kind = 'Reply'");
        return channel;
    }

    [Fact]
    public async Task After_the_window_closed_a_template_goes_to_Graph_as_Graph_takes_it_and_the_window_stays_closed()
    {
        await using var channel = await ClosedWindowAsync(stores);
        var queued = await channel.EnqueueTemplateAsync(Values);
        Assert.True(queued.Succeeded, queued.Error?.Title);

        await channel.StartWorkerAsync();
        await channel.EventuallyAsync(async () => await channel.Db.CountAsync("messages", "id = $1 AND status = 'Sent'", queued.Value!.Id) == 1, "the template is sent");

        var sent = Assert.Single(channel.Graph.Sent);
        Assert.Equal(("template", ChannelHarness.Customer), (sent["type"]!.GetValue<string>(), sent["to"]!.GetValue<string>()));
        var template = sent["template"]!;
        Assert.Equal(("order_ready", "en_US"), (template["name"]!.GetValue<string>(), template["language"]!["code"]!.GetValue<string>()));
        Assert.Equal(["Sam", "GB-1042"], template["components"]![0]!["parameters"]!.AsArray().Select(p => p!["text"]!.GetValue<string>()));
        Assert.Equal("coming", template["components"]![1]!["parameters"]![0]!["payload"]!.GetValue<string>());
        Assert.Equal(1, await channel.Db.CountAsync("conversations", "window_expires_at < now()"));
    }

    [Fact]
    public async Task A_customer_who_writes_STOP_after_a_template_was_queued_does_not_get_it()
    {
        await using var channel = await ClosedWindowAsync(stores);
        var queued = await channel.EnqueueTemplateAsync(Values);
        Assert.True(queued.Succeeded, queued.Error?.Title);
        await channel.DeliverTextAsync("STOP");

        await channel.StartWorkerAsync();
        await channel.EventuallyAsync(async () => await channel.Db.CountAsync("messages", "id = $1 AND status = 'Failed'", queued.Value!.Id) == 1, "the template is refused");

        Assert.Equal(TemplatePolicy.OptedOut, await channel.Db.ScalarAsync<string>("SELECT error_title FROM messages WHERE id = $1", queued.Value!.Id));
        await channel.QuiescentAsync();
        Assert.DoesNotContain(channel.Graph.Sent, m => m["type"]!.GetValue<string>() == "template");
    }

    [Fact]
    public async Task A_template_Meta_refuses_fails_once_with_Meta_s_code_and_is_not_retried()
    {
        await using var channel = await ClosedWindowAsync(stores);
        channel.Graph.SendFailures.Enqueue((404, 132001));
        var queued = await channel.EnqueueTemplateAsync(Values);

        await channel.StartWorkerAsync();
        await channel.EventuallyAsync(async () => await channel.Db.CountAsync("messages", "id = $1 AND status = 'Failed' AND error_code = 132001", queued.Value!.Id) == 1,
            "the template fails with Meta's code");

        await channel.QuiescentAsync();
        Assert.Equal(1, channel.Graph.SendAttempts);
        Assert.Empty(channel.Graph.Sent);
    }
}
