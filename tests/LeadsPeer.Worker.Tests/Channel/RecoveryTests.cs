using LeadsPeer.Testing;
using StackExchange.Redis;

namespace LeadsPeer.Worker.Tests.Channel;

/// <summary>Crashes and outages: PostgreSQL holds the truth, so nothing is lost and nothing is answered twice.</summary>
public sealed class RecoveryTests(TestStores stores) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_Worker_killed_after_taking_a_turn_and_before_acknowledging_it_still_gets_the_reply_out_once()
    {
        var channel = Own(await ChannelHarness.CreateAsync(stores));
        var taken = new TaskCompletionSource();
        channel.Graph.BeforeReadAnswer = async aborted =>
        {
            taken.TrySetResult();
            await Task.Delay(Timeout.Infinite, aborted);
        };
        await channel.StartWorkerAsync();

        await channel.DeliverTextAsync("Can I book a repair for Friday?");
        await channel.WithinAsync(taken.Task, "the Worker sends the reply");
        channel.Worker!.Kill();
        channel.Graph.BeforeReadAnswer = null;
        await channel.StartWorkerAsync();

        await channel.EventuallyAsync(() => Task.FromResult(!channel.Graph.Sent.IsEmpty), "the reply is sent by the next Worker");
        await channel.QuiescentAsync();
        Assert.Single(channel.Graph.Sent);
        Assert.Equal(1, await channel.Db.CountAsync("messages", "direction = 'Outbound' AND status = 'Sent'"));
    }

    [Fact]
    public async Task A_Worker_killed_between_the_Graph_POST_and_recording_its_outcome_leaves_the_message_in_doubt_never_resent()
    {
        var channel = Own(await ChannelHarness.CreateAsync(stores));
        var posted = new TaskCompletionSource();
        channel.Graph.BeforeSendAnswer = async (_, _, aborted) =>
        {
            posted.TrySetResult();
            await Task.Delay(Timeout.Infinite, aborted);
        };
        await channel.StartWorkerAsync();

        await channel.DeliverTextAsync("Where is my order?");
        await channel.WithinAsync(posted.Task, "the Worker posts the reply to Graph");
        channel.Worker!.Kill();
        channel.Graph.BeforeSendAnswer = null;
        await channel.StartWorkerAsync();

        await channel.EventuallyAsync(async () => await channel.Db.CountAsync("messages", "direction = 'Outbound' AND status = 'InDoubt'") == 1,
            "the interrupted send is marked in doubt");
        await channel.QuiescentAsync();
        Assert.Equal(1, channel.Graph.SendAttempts);
        Assert.Contains("may or may not have received it", await channel.Db.ScalarAsync<string>("SELECT error_title FROM messages WHERE status = 'InDoubt'"));
    }

    [Fact]
    public async Task With_Redis_stopped_webhooks_are_still_stored_and_replies_flow_once_it_is_back()
    {
        var redis = Own(await RedisServer.StartNewAsync());
        var channel = Own(await ChannelHarness.CreateAsync(stores, redis.ConnectionString));
        await channel.StartWorkerAsync();

        await redis.StopAsync();
        await channel.DeliverTextAsync("Is the shop open?");
        Assert.Equal(1, await channel.Db.CountAsync("messages", "direction = 'Inbound'"));
        // The positive marker: the Worker's sweeper found the turn stranded and could not dispatch it.
        await channel.EventuallyAsync(() => Task.FromResult(channel.Worker!.Output.Contains("Dispatching 1 stranded work item(s) again", StringComparison.Ordinal)),
            "the sweeper tries to dispatch the stored turn");
        Assert.Empty(channel.Graph.Sent);
        Assert.Equal(1, await channel.Db.CountAsync("work_items", "kind = 'Reply' AND state = 'Pending'"));

        await redis.StartAsync();
        await channel.EventuallyAsync(() => Task.FromResult(!channel.Graph.Sent.IsEmpty), "the reply goes out once Redis is back", seconds: 40);
        await channel.QuiescentAsync();
        Assert.Single(channel.Graph.Sent);
    }

    [Fact]
    public async Task Work_whose_dispatch_Redis_lost_is_dispatched_again_by_the_sweeper()
    {
        var redis = Own(await RedisServer.StartNewAsync());
        var channel = Own(await ChannelHarness.CreateAsync(stores, redis.ConnectionString));

        // Stored and dispatched, then Redis loses everything before any Worker read it.
        await channel.DeliverTextAsync("First question");
        await FlushAsync(redis);
        await channel.StartWorkerAsync();
        await channel.EventuallyAsync(() => Task.FromResult(channel.Graph.Sent.Count == 1), "the sweeper dispatches the stranded turn");

        // Flushed under a running Worker: its consumer group is gone and is made again.
        await FlushAsync(redis);
        await channel.DeliverTextAsync("Second question");
        await channel.EventuallyAsync(() => Task.FromResult(channel.Graph.Sent.Count == 2), "the next turn is answered after the flush");
        await channel.QuiescentAsync();
        Assert.Equal(2, channel.Graph.Sent.Count);
    }

    private static async Task FlushAsync(RedisServer redis)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true");
        await connection.GetServers()[0].FlushAllDatabasesAsync();
    }

    /// <summary>Disposed at the end of the test, newest first.</summary>
    private T Own<T>(T disposable) where T : IAsyncDisposable
    {
        _owned.Insert(0, disposable);
        return disposable;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
    }
}
