using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.Security;

/// <summary>
/// The Api as deployed behind a TLS proxy (its own process, Production): the client's address and
/// scheme are taken from <c>X-Forwarded-*</c> only when the configuration names the proxy —
/// the audit then records the client, not the proxy — and HSTS is sent on HTTPS.
/// </summary>
public sealed class EdgeTests(TestStores stores)
{
    private const string Client = "203.0.113.9";

    [Fact]
    public async Task Behind_a_configured_proxy_the_audit_records_the_client_and_HTTPS_answers_carry_HSTS()
    {
        var (api, database) = await StartAsync(trustLoopbackProxy: true);
        await using var _ = api;
        using var http = new HttpClient { BaseAddress = api.Address };

        var audited = await CreateSandboxAsync(http, database, "proxied@edge.example");
        using var overHttps = await GetHealthAsync(http, proto: "https");
        using var overHttp = await GetHealthAsync(http, proto: null);

        Assert.Equal(Client, audited);
        Assert.True(overHttps.Headers.Contains("Strict-Transport-Security"));
        Assert.False(overHttp.Headers.Contains("Strict-Transport-Security")); // HSTS only means something over HTTPS
    }

    [Fact]
    public async Task Forwarded_headers_from_a_proxy_nobody_configured_are_ignored()
    {
        var (api, database) = await StartAsync(trustLoopbackProxy: false);
        await using var _ = api;
        using var http = new HttpClient { BaseAddress = api.Address };

        var audited = await CreateSandboxAsync(http, database, "direct@edge.example");
        using var claimsHttps = await GetHealthAsync(http, proto: "https");

        Assert.Equal("127.0.0.1", audited); // the real peer, whatever the header claims
        Assert.False(claimsHttps.Headers.Contains("Strict-Transport-Security"));
    }

    private async Task<(HostProcess Api, string Database)> StartAsync(bool trustLoopbackProxy)
    {
        var database = await stores.CreateMigratedDatabaseAsync();
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__leadspeer"] = database,
            ["ConnectionStrings__redis"] = stores.Redis.ConnectionString,
            ["WhatsApp__AppSecret"] = MetaPayloads.AppSecret,
            ["WhatsApp__VerifyToken"] = MetaPayloads.VerifyToken,
            ["Sandbox__SigningKey"] = MetaPayloads.SandboxSigningKey,
            ["TokenProtection__Key"] = Convert.ToBase64String("edge-test-key-0123456789abcdef01"u8),
            ["Email__SmtpHost"] = "127.0.0.1",
        };
        if (trustLoopbackProxy)
        {
            settings["ForwardedHeaders__KnownProxies__0"] = "127.0.0.1";
        }

        var api = HostProcess.Start("LeadsPeer.Api", "Production", settings);
        await api.WaitForStatusAsync("/health", HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        return (api, database);
    }

    /// <summary>Signs a business up and creates its sandbox number, every request claiming to come from <see cref="Client"/>; returns the address the audit recorded.</summary>
    private static async Task<object?> CreateSandboxAsync(HttpClient http, string database, string email)
    {
        var ct = TestContext.Current.CancellationToken;
        http.DefaultRequestHeaders.Remove("X-Forwarded-For");
        http.DefaultRequestHeaders.Add("X-Forwarded-For", Client);
        (await http.PostAsJsonAsync("/api/onboarding/signup",
            new { organizationName = "Edge Co", name = "Eda Edge", email, password = ApiFactory.Password }, ct)).EnsureSuccessStatusCode();
        using var login = await http.PostAsJsonAsync("/api/auth/login", new { email, password = ApiFactory.Password }, ct);
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("accessToken").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/whatsapp/connections/sandbox");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var sandbox = await http.SendAsync(request, ct);
        sandbox.EnsureSuccessStatusCode();

        return (await new Db(database).RowsAsync("SELECT ip_address FROM audit_entries WHERE action = 'connection.create-sandbox'")).Single()[0];
    }

    private static async Task<HttpResponseMessage> GetHealthAsync(HttpClient http, string? proto)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        // As a proxy forwards it: the public name (HSTS is never sent for localhost).
        request.Headers.Host = "api.leadspeer.example";
        if (proto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", proto);
        }

        return await http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
