using LeadsPeer.Api.WhatsApp;
using LeadsPeer.Core.WhatsApp.Sandbox;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Api.Sandbox;

/// <summary>The Api's own webhook endpoint, on the address it listens on (or <c>Sandbox:WebhookUrl</c> when set).</summary>
public sealed class LoopbackWebhookAddress(IServer server, IOptions<SandboxOptions> sandbox) : ISandboxWebhookAddress
{
    public Uri WebhookUrl
    {
        get
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
}
