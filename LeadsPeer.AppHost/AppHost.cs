using LeadsPeer.AppHost.Infrastructure;
using LeadsPeer.ServiceDefaults;

var builder = DistributedApplication.CreateBuilder(args);

// Secrets. Development values live in appsettings.Development.json; elsewhere set
// Parameters__<name> (or user secrets), and Aspire asks for any that are missing.
var whatsAppAppSecret = builder.AddParameter("whatsapp-app-secret", secret: true);
var whatsAppVerifyToken = builder.AddParameter("whatsapp-verify-token", secret: true);
// Signs the sandbox's simulated webhooks: the Api accepts it for sandbox numbers only, so the
// dashboard, which holds it, cannot sign for a real number (only the Api has Meta's app secret).
var sandboxSigningKey = builder.AddParameter("sandbox-signing-key", secret: true);
var tokenEncryptionKey = builder.AddParameter("token-encryption-key", secret: true);
// Optional: without it the offline local models answer. Aspire treats an empty parameter as
// missing and would hold the Worker until someone typed one, so it exists only when set.
var openAiApiKey = string.IsNullOrWhiteSpace(builder.Configuration["Parameters:openai-api-key"])
    ? null
    : builder.AddParameter("openai-api-key", secret: true);

// PostgreSQL (with pgvector) is the source of truth; Redis dispatches work and fans out live events.
// Containers where a runtime exists, the machine's own servers otherwise (Infra:Mode).
var stores = builder.AddStores();

// Webhooks, onboarding, tenant API. Owns the schema: healthy only once migrations are applied.
var api = builder.AddProject<Projects.LeadsPeer_Api>(ResourceNames.Api)
    .WithReference(stores.Database).WithReference(stores.Redis)
    .WaitFor(stores.DatabaseServer).WaitFor(stores.Redis)
    .WithEnvironment("WhatsApp__AppSecret", whatsAppAppSecret)
    .WithEnvironment("WhatsApp__VerifyToken", whatsAppVerifyToken)
    .WithEnvironment("Sandbox__SigningKey", sandboxSigningKey)
    .WithEnvironment("TokenProtection__Key", tokenEncryptionKey)
    .WithHttpHealthCheck("/health");
// Sandbox numbers' Graph calls (sends, templates) go to the Api's Meta simulator instead of Meta.
var simulator = ReferenceExpression.Create($"{api.GetEndpoint("http")}/simulator/");
api.WithEnvironment("WhatsApp__SimulatorBaseUrl", simulator);
// To try what happens once a sandbox conversation's 24-hour window closes:
// Channel__SandboxServiceWindow=00:02:00 ./scripts/run.sh
if (builder.Configuration["Channel:SandboxServiceWindow"] is { Length: > 0 } sandboxWindow)
{
    api.WithEnvironment("Channel__SandboxServiceWindow", sandboxWindow);
}

// AI replies, sending, indexing, retention. Starts once the Api has migrated the database.
var worker = builder.AddProject<Projects.LeadsPeer_Worker>(ResourceNames.Worker)
    .WithReference(stores.Database).WithReference(stores.Redis)
    .WaitFor(api)
    .WithEnvironment("TokenProtection__Key", tokenEncryptionKey)
    .WithEnvironment("WhatsApp__SimulatorBaseUrl", simulator)
    .WithHttpHealthCheck("/health");
if (openAiApiKey is not null)
{
    // With a key, answers and embeddings come from the OpenAI-compatible provider; the Api shows
    // which answerer is at work on the agent settings.
    worker.WithEnvironment("AI__Provider", "OpenAI").WithEnvironment("AI__ApiKey", openAiApiKey);
    api.WithEnvironment("AI__Provider", "OpenAI");
}

// The operators' dashboard. Starts once the Api has migrated the database.
builder.AddProject<Projects.LeadsPeer_Web>(ResourceNames.Web)
    .WithReference(stores.Database).WithReference(stores.Redis)
    .WaitFor(api)
    .WithEnvironment("TokenProtection__Key", tokenEncryptionKey)
    // The sandbox customer phone panel posts signed webhooks to the Api, as Meta would.
    .WithEnvironment("Sandbox__SigningKey", sandboxSigningKey)
    .WithEnvironment("Sandbox__WebhookUrl", ReferenceExpression.Create($"{api.GetEndpoint("http")}/webhooks/whatsapp"))
    // Connecting a real number (Embedded Signup) is asked of the Api, which holds Meta's app secret.
    .WithEnvironment("Api__BaseUrl", ReferenceExpression.Create($"{api.GetEndpoint("http")}/"))
    .WithEnvironment("WhatsApp__SimulatorBaseUrl", simulator)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health");

builder.Build().Run();
