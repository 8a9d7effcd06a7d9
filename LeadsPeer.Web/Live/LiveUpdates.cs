using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Live;
using StackExchange.Redis;

namespace LeadsPeer.Web.Live;

/// <summary>
/// The one subscriber per Web process: a pattern subscription to every organisation's Redis
/// channel, fanned out in process to the screens of that organisation (each operator's circuit
/// — its browser's SignalR connection). No SignalR backplane under the circuits: a Redis outage
/// only pauses live updates (<see cref="IsLive"/> false, screens refresh on a timer) and they
/// resume by themselves when Redis is back.
/// </summary>
public sealed partial class LiveUpdates(IConnectionMultiplexer redis, ILogger<LiveUpdates> logger) : IHostedService, IDisposable
{
    private static readonly RedisChannel Pattern = RedisChannel.Pattern("leadspeer:tenant:*:events");
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ConcurrentDictionary<Guid, ImmutableList<Func<LiveEvent, Task>>> _handlers = new();
    /// <summary>How often Redis is asked whether it still answers: a hung Redis keeps its connection open and says nothing.</summary>
    private static readonly TimeSpan WatchEvery = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stopping = new();
    private volatile bool _subscribed;
    private volatile bool _answering = true;
    private Task _subscribing = Task.CompletedTask;
    private Task _watching = Task.CompletedTask;

    /// <summary>Whether events are flowing; false while Redis is unreachable, refused or hung.</summary>
    public bool IsLive => _subscribed && redis.IsConnected && _answering;

    /// <summary>Raised when <see cref="IsLive"/> may have changed.</summary>
    public event Action? LiveChanged;

    /// <summary>Calls <paramref name="handler"/> for each event of the organisation until the returned handle is disposed.</summary>
    public IDisposable Subscribe(Guid tenantId, Func<LiveEvent, Task> handler)
    {
        _handlers.AddOrUpdate(tenantId, _ => [handler], (_, list) => list.Add(handler));
        return new Subscription(() => _handlers.AddOrUpdate(tenantId, _ => [], (_, list) => list.Remove(handler)));
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionFailed += OnConnectionChanged;
        redis.ConnectionRestored += OnConnectionChanged;
        // Subscribing waits for Redis in the background: the dashboard starts without it.
        _subscribing = KeepSubscribedAsync(_stopping.Token);
        _watching = WatchAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        redis.ConnectionFailed -= OnConnectionChanged;
        redis.ConnectionRestored -= OnConnectionChanged;
        await Task.WhenAll(_subscribing, _watching);
    }

    /// <summary>
    /// A refused Redis is seen by the connection itself; a hung one only by a question it does not
    /// answer in time. While it does not, screens show "paused" and refresh on their timers.
    /// </summary>
    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(WatchEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                bool answering;
                try
                {
                    await redis.GetDatabase().PingAsync();
                    answering = true;
                }
                catch (Exception ex) when (RedisOutage.Is(ex))
                {
                    answering = false;
                }

                if (answering != _answering)
                {
                    _answering = answering;
                    LogAnswering(logger, answering ? "answers again" : "does not answer");
                    LiveChanged?.Invoke();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Delivers an event to the organisation's screens (what a Redis message does; tests call it directly).</summary>
    public async Task DeliverAsync(Guid tenantId, LiveEvent liveEvent)
    {
        if (!_handlers.TryGetValue(tenantId, out var handlers))
        {
            return;
        }

        foreach (var handler in handlers)
        {
            try
            {
                await handler(liveEvent);
            }
            catch (Exception ex)
            {
                // One broken screen must not keep the event from the others.
                LogHandlerFailed(logger, liveEvent.Type, ex.GetType().Name);
            }
        }
    }

    private async Task KeepSubscribedAsync(CancellationToken cancellationToken)
    {
        while (!_subscribed && !cancellationToken.IsCancellationRequested)
        {
            try
            {
                await redis.GetSubscriber().SubscribeAsync(Pattern, (channel, message) => _ = OnMessageAsync(channel, message));
                _subscribed = true;
                LiveChanged?.Invoke();
            }
            catch (Exception ex) when (RedisOutage.Is(ex))
            {
                LogNotSubscribed(logger, ex.GetType().Name);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task OnMessageAsync(RedisChannel channel, RedisValue message)
    {
        // leadspeer:tenant:{id:N}:events
        var parts = channel.ToString().Split(':');
        if (parts.Length != 4 || !Guid.TryParseExact(parts[2], "N", out var tenantId) || message.IsNullOrEmpty)
        {
            return;
        }

        LiveEvent? liveEvent;
        try
        {
            liveEvent = JsonSerializer.Deserialize<LiveEvent>(message.ToString(), Json);
        }
        catch (JsonException ex)
        {
            // Not an event this version understands (a newer publisher?): skipped, but said.
            LogUnreadable(logger, ex.GetType().Name);
            return;
        }

        if (liveEvent is not null)
        {
            await DeliverAsync(tenantId, liveEvent);
        }
    }

    private void OnConnectionChanged(object? sender, ConnectionFailedEventArgs e) => LiveChanged?.Invoke();

    public void Dispose() => _stopping.Dispose();

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                dispose();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live updates: Redis {State}")]
    private static partial void LogAnswering(ILogger logger, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live updates are paused: subscribing to Redis failed ({Reason}); retrying")]
    private static partial void LogNotSubscribed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A live event could not be read ({Reason}); screens catch up on their next reload")]
    private static partial void LogUnreadable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A screen failed to handle live event {Type} ({Reason})")]
    private static partial void LogHandlerFailed(ILogger logger, string type, string reason);
}
