using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LeadsPeer.Core.WhatsApp.Webhooks;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Core.WhatsApp.Sandbox;

public sealed class SandboxOptions
{
    public const string Section = "Sandbox";

    /// <summary>
    /// Where simulated webhooks are posted: the Api's <c>/webhooks/whatsapp</c>. The Api finds its
    /// own address when this is empty; the dashboard is told it (the AppHost sets it).
    /// </summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>How long after a send the simulated customer's phone reports delivered, then read.</summary>
    public TimeSpan DeliveredAfter { get; set; } = TimeSpan.FromMilliseconds(300);

    public TimeSpan ReadAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the simulated review of a new template takes before it is approved (or rejected, for a name starting <c>reject_</c>).</summary>
    public TimeSpan TemplateReviewAfter { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>Where simulated webhooks go: the Api's own <c>/webhooks/whatsapp</c>, found differently by each host.</summary>
public interface ISandboxWebhookAddress
{
    Uri WebhookUrl { get; }
}

/// <summary>
/// Posts simulated webhooks the way Meta does: signed with the app secret, over HTTP, to the real
/// webhook endpoint — never a shortcut into the database — so a sandbox number exercises
/// exactly the path a real number does, whether the Api's simulator or the dashboard's customer
/// phone panel writes them.
/// </summary>
public sealed class SandboxWebhooks(HttpClient http, ISandboxWebhookAddress address, IOptions<WhatsAppOptions> whatsApp)
{
    public async Task<HttpResponseMessage> PostAsync(JsonObject payload, CancellationToken cancellationToken)
    {
        var secret = whatsApp.Value.AppSecret
            ?? throw new InvalidOperationException("WhatsApp:AppSecret is needed to sign simulated webhooks.");
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(body, secret));
        return await http.PostAsync(address.WebhookUrl, content, cancellationToken);
    }
}
