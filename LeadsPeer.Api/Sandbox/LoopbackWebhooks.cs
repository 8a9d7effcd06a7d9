using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using LeadsPeer.Api.WhatsApp;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Core.WhatsApp.Webhooks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Api.Sandbox;

public sealed class SandboxOptions
{
    public const string Section = "Sandbox";

    /// <summary>Where simulated webhooks are posted; by default this Api's own <c>/webhooks/whatsapp</c>.</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>How long after a send the simulated customer's phone reports delivered, then read.</summary>
    public TimeSpan DeliveredAfter { get; set; } = TimeSpan.FromMilliseconds(300);

    public TimeSpan ReadAfter { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Posts simulated webhooks the way Meta does: signed with the app secret, over HTTP, to the real
/// webhook endpoint — never a shortcut into the database — so a sandbox number exercises
/// exactly the path a real number does.
/// </summary>
public sealed class LoopbackWebhooks(HttpClient http, IServer server, IOptions<SandboxOptions> sandbox, IOptions<WhatsAppOptions> whatsApp)
{
    public async Task<HttpResponseMessage> PostAsync(JsonObject payload, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(body, whatsApp.Value.AppSecret!));
        return await http.PostAsync(WebhookUrl(), content, cancellationToken);
    }

    private Uri WebhookUrl()
    {
        if (sandbox.Value.WebhookUrl is { } configured)
        {
            return configured;
        }

        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses
            .OrderBy(a => a.StartsWith("https", StringComparison.Ordinal))
            .FirstOrDefault()
            ?? throw new InvalidOperationException($"The server has no address to post simulated webhooks to; set {SandboxOptions.Section}:WebhookUrl.");
        // A wildcard binding is reachable on loopback.
        var loopback = address.Replace("://+", "://localhost").Replace("://*", "://localhost")
            .Replace("://[::]", "://localhost").Replace("://0.0.0.0", "://localhost");
        return new Uri(new Uri(loopback.TrimEnd('/') + "/"), WebhookEndpoints.Path.TrimStart('/'));
    }
}

/// <summary>Status webhooks the simulator owes, posted in the background after their delay, as Meta's arrive after the send's answer.</summary>
public sealed partial class SimulatedStatusPoster(IServiceScopeFactory scopes, TimeProvider time, ILogger<SimulatedStatusPoster> logger) : BackgroundService
{
    private readonly Channel<(DateTimeOffset DueAt, JsonObject Payload)> _queue = Channel.CreateUnbounded<(DateTimeOffset, JsonObject)>();

    public void Enqueue(DateTimeOffset dueAt, JsonObject payload) => _queue.Writer.TryWrite((dueAt, payload));

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
                await Task.Delay(wait, time, stoppingToken);
            }

            await using var scope = scopes.CreateAsyncScope();
            using var response = await scope.ServiceProvider.GetRequiredService<LoopbackWebhooks>().PostAsync(payload, stoppingToken);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The webhook endpoint answered a simulated status with {Status}")]
    private static partial void LogRefused(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A simulated status webhook was not posted ({Reason})")]
    private static partial void LogNotPosted(ILogger logger, string reason);
}
