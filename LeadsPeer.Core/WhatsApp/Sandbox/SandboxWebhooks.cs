using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LeadsPeer.Core.WhatsApp.Webhooks;
using Microsoft.Extensions.Configuration;
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

    /// <summary>
    /// The key simulated webhooks are signed with, instead of Meta's app secret: the Api accepts
    /// it only for sandbox numbers and sandbox WABAs, so whoever holds it (the dashboard) cannot
    /// forge traffic for a real number. At least 32 characters, never the app secret.
    /// </summary>
    public string? SigningKey { get; set; }

    public const string SandboxIdPrefix = "sandbox-";

    /// <summary>Sandbox ids are made in a range Meta never hands out (its ids are digits): <c>sandbox-…</c>, <c>sandbox-waba-…</c>.</summary>
    public static bool IsSandboxId(string? id) => id is not null && id.StartsWith(SandboxIdPrefix, StringComparison.Ordinal);
}

// Reads the app secret from configuration, not from WhatsAppOptions: those are validated on their own, and a failure there must not hide this one.
internal sealed class SandboxOptionsValidator(IConfiguration configuration) : IValidateOptions<SandboxOptions>
{
    public ValidateOptionsResult Validate(string? name, SandboxOptions options)
    {
        if (options.SigningKey is not { Length: >= 32 })
        {
            return ValidateOptionsResult.Fail($"{SandboxOptions.Section}:SigningKey is required: at least 32 random characters (openssl rand -base64 32); it signs sandbox webhooks.");
        }

        return options.SigningKey == configuration[$"{WhatsAppOptions.Section}:{nameof(WhatsAppOptions.AppSecret)}"]
            ? ValidateOptionsResult.Fail($"{SandboxOptions.Section}:SigningKey must not be Meta's app secret: it is held by the dashboard, which must not be able to sign for real numbers.")
            : ValidateOptionsResult.Success;
    }
}

/// <summary>Where simulated webhooks go: the Api's own <c>/webhooks/whatsapp</c>, found differently by each host.</summary>
public interface ISandboxWebhookAddress
{
    Uri WebhookUrl { get; }
}

/// <summary>
/// Posts simulated webhooks the way Meta does: signed (with the sandbox's own key), over HTTP, to the real
/// webhook endpoint — never a shortcut into the database — so a sandbox number exercises
/// exactly the path a real number does, whether the Api's simulator or the dashboard's customer
/// phone panel writes them.
/// </summary>
public sealed class SandboxWebhooks(HttpClient http, ISandboxWebhookAddress address, IOptions<SandboxOptions> sandbox)
{
    public async Task<HttpResponseMessage> PostAsync(JsonObject payload, CancellationToken cancellationToken)
    {
        var secret = sandbox.Value.SigningKey
            ?? throw new InvalidOperationException("Sandbox:SigningKey is needed to sign simulated webhooks.");
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(body, secret));
        return await http.PostAsync(address.WebhookUrl, content, cancellationToken);
    }
}
