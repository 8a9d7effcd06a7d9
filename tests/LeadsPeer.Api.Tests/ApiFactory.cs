using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Security;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace LeadsPeer.Api.Tests;

/// <summary>
/// The Api in process, in Development, on its own migrated database of the shared test servers,
/// with a clock the test controls and emails in a folder of its own.
/// </summary>
public sealed partial class ApiFactory(string databaseConnectionString, string redisConnectionString) : WebApplicationFactory<Program>
{
    public const string Password = "correct horse battery staple";

    public string DatabaseConnectionString { get; } = databaseConnectionString;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public string MailFolder { get; } = Directory.CreateTempSubdirectory("leadspeer-mail-").FullName;

    /// <summary>Everything the Api logged, at every level.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>
    /// Sandbox numbers' Graph calls (templates) reach this in-process server's simulator through its
    /// own handler; Meta's calls are then not available (set before the first client).
    /// </summary>
    public bool GraphInProcess { get; set; }

    /// <summary>More settings, applied when the host starts (set them before the first client).</summary>
    public Dictionary<string, string> Settings { get; } = [];

    public static async Task<ApiFactory> CreateAsync(TestStores stores) =>
        new(await stores.CreateMigratedDatabaseAsync(), stores.Redis.ConnectionString);

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:leadspeer", DatabaseConnectionString);
        builder.UseSetting("ConnectionStrings:redis", redisConnectionString);
        builder.UseSetting("Email:PickupDirectory", MailFolder);
        builder.UseSetting("WhatsApp:AppSecret", MetaPayloads.AppSecret);
        builder.UseSetting("WhatsApp:VerifyToken", MetaPayloads.VerifyToken);
        // The simulator's webhooks reach this in-process server through its own handler.
        builder.UseSetting("Sandbox:WebhookUrl", "http://localhost/webhooks/whatsapp");
        if (GraphInProcess)
        {
            builder.UseSetting("WhatsApp:SimulatorBaseUrl", "http://localhost/simulator/");
        }

        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<ILoggerProvider>(Logs);
            // Captured at the levels the host's configuration sets (a test can raise them all to
            // Trace through Settings), so the capture sees what a deployment's log provider would.
            services.AddHttpClient<LeadsPeer.Core.WhatsApp.Sandbox.SandboxWebhooks>().ConfigurePrimaryHttpMessageHandler(() => Server.CreateHandler());
            if (GraphInProcess)
            {
                services.AddHttpClient<LeadsPeer.Core.WhatsApp.GraphApiClient>().ConfigurePrimaryHttpMessageHandler(() => Server.CreateHandler());
            }
        });
    }

    /// <summary>Signs a business up and returns a client signed in as its owner.</summary>
    public async Task<HttpClient> SignUpAsync(string organization, string email)
    {
        var client = CreateClient();
        using var response = await client.PostAsJsonAsync("/api/onboarding/signup",
            new { organizationName = organization, name = "Owner of " + organization, email, password = Password });
        response.EnsureSuccessStatusCode();
        return await SignInAsync(email, Password);
    }

    public async Task<HttpClient> SignInAsync(string email, string password)
    {
        var client = CreateClient();
        using var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<JsonElement>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("accessToken").GetString());
        return client;
    }

    /// <summary>The sandbox number's access token, as the sender presents it to the simulator (Graph's bearer token).</summary>
    public async Task<string> SandboxTokenAsync(Guid connectionId)
    {
        await using var scope = Services.CreateAsyncScope();
        var connection = await scope.ServiceProvider.GetRequiredService<LeadsPeerDbContext>().WhatsAppConnections
            .AcrossTenants().SingleAsync(c => c.Id == connectionId);
        return scope.ServiceProvider.GetRequiredService<TokenProtector>().AccessTokenOf(connection);
    }

    /// <summary>The invitation token in the newest email to <paramref name="email"/>.</summary>
    public string InvitationTokenSentTo(string email) => InvitationLink().Match(NewestEmailTo(email)).Groups["token"].Value;

    /// <summary>The password-reset token in the newest email to <paramref name="email"/>.</summary>
    public string ResetTokenSentTo(string email) => ResetLink().Match(NewestEmailTo(email)).Groups["token"].Value;

    public int EmailsSentTo(string email) =>
        Directory.GetFiles(MailFolder, "*.eml").Count(f => File.ReadAllText(f).Contains($"To: {email}", StringComparison.OrdinalIgnoreCase));

    private string NewestEmailTo(string email)
    {
        var message = Directory.GetFiles(MailFolder, "*.eml")
            .OrderBy(File.GetLastWriteTimeUtc)
            .Select(File.ReadAllText)
            .Last(text => text.Contains($"To: {email}", StringComparison.OrdinalIgnoreCase));
        // Undo quoted-printable soft line breaks before reading the link.
        return message.Replace("=\r\n", "").Replace("=\n", "");
    }

    [GeneratedRegex(@"/invitations/(?<token>[A-Za-z0-9_-]{20,})")]
    private static partial Regex InvitationLink();

    [GeneratedRegex(@"[?&]token=3D(?<token>[A-Za-z0-9_-]+)|[?&]token=(?<token>[A-Za-z0-9_-]+)")]
    private static partial Regex ResetLink();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(MailFolder, recursive: true);
    }
}
