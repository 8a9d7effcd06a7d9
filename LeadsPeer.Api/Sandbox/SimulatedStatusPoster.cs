using System.Text.Json.Nodes;
using System.Threading.Channels;
using LeadsPeer.Core.WhatsApp.Sandbox;

namespace LeadsPeer.Api.Sandbox;

/// <summary>Status webhooks the simulator owes, posted in the background after their delay, as Meta's arrive after the send's answer.</summary>
public sealed partial class SimulatedStatusPoster(IServiceScopeFactory scopes, TimeProvider time, ILogger<SimulatedStatusPoster> logger) : BackgroundService
{
    /// <summary>Statuses owed at most; past it the simulator drops one (a sandbox tick, said in the log) rather than grow without bound.</summary>
    private const int Capacity = 10_000;

    private readonly Channel<(DateTimeOffset DueAt, JsonObject Payload)> _queue =
        Channel.CreateBounded<(DateTimeOffset, JsonObject)>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait });

    public void Enqueue(DateTimeOffset dueAt, JsonObject payload)
    {
        if (!_queue.Writer.TryWrite((dueAt, payload)))
        {
            LogDropped(logger, Capacity);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (dueAt, payload) in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            // Entries are posted independently so a later "delivered" never waits behind a slow one.
            _ = PostWhenDueAsync(dueAt, payload, stoppingToken);
        }
    }

    private async Task PostWhenDueAsync(DateTimeOffset dueAt, JsonObject payload, CancellationToken stoppingToken)
    {
        try
        {
            var wait = dueAt - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                var delay = Task.Delay(wait, time, stoppingToken);
                // The clock may have moved on between reading it and arming the delay (a test's clock
                // jumps): then the status is due already, and the delay, armed too late, would wait past it.
                if (time.GetUtcNow() < dueAt)
                {
                    await delay;
                }
            }

            await using var scope = scopes.CreateAsyncScope();
            using var response = await scope.ServiceProvider.GetRequiredService<SandboxWebhooks>().PostAsync(payload, stoppingToken);
            if (!response.IsSuccessStatusCode)
            {
                LogRefused(logger, (int)response.StatusCode);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            LogNotPosted(logger, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A simulated status was dropped: {Capacity} are already owed")]
    private static partial void LogDropped(ILogger logger, int capacity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The webhook endpoint answered a simulated status with {Status}")]
    private static partial void LogRefused(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A simulated status webhook was not posted ({Reason})")]
    private static partial void LogNotPosted(ILogger logger, string reason);
}
