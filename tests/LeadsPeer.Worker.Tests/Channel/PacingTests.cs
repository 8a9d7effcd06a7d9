using LeadsPeer.Testing;

namespace LeadsPeer.Worker.Tests.Channel;

/// <summary>Meta's limits are kept by the sender, not discovered through Meta's errors.</summary>
public sealed class PacingTests(TestStores stores) : IAsyncLifetime
{
    private ChannelHarness _channel = null!;

    public async ValueTask InitializeAsync()
    {
        // One message per recipient in a burst, then one every 3 s.
        _channel = await ChannelHarness.CreateAsync(stores, more: new()
        {
            ["Channel:RecipientBurst"] = "1",
            ["Channel:RecipientInterval"] = "00:00:03",
        });
        await _channel.StartWorkerAsync();
    }

    [Fact]
    public async Task Replies_to_one_customer_are_paced_and_none_is_lost()
    {
        await _channel.DeliverTextAsync("First question");
        await _channel.EventuallyAsync(() => Task.FromResult(_channel.Graph.Sent.Count == 1), "the first reply is sent");
        await _channel.DeliverTextAsync("Second question");

        await _channel.EventuallyAsync(() => Task.FromResult(_channel.Graph.Sent.Count == 2), "the second reply is sent");

        var times = _channel.Graph.SentTimes.ToArray();
        Assert.True(times[1] - times[0] >= TimeSpan.FromSeconds(2.5), $"Sent {(times[1] - times[0]).TotalSeconds:N1} s apart.");
        Assert.Empty(_channel.Graph.SendFailures);
        Assert.Equal(2, _channel.Graph.SendAttempts);
    }

    public async ValueTask DisposeAsync() => await _channel.DisposeAsync();
}
