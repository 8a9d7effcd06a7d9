using LeadsPeer.Core.WhatsApp.Sandbox;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Web.Sandbox;

/// <summary>
/// The Api's webhook endpoint, where the customer phone panel's messages go, signed as Meta
/// signs them: <c>Sandbox:WebhookUrl</c> (the AppHost sets it), else the Api's development address.
/// </summary>
public sealed class ApiWebhookAddress(IOptions<SandboxOptions> sandbox) : ISandboxWebhookAddress
{
    private static readonly Uri DevelopmentApi = new("http://localhost:5301/webhooks/whatsapp");

    public Uri WebhookUrl => sandbox.Value.WebhookUrl ?? DevelopmentApi;
}
