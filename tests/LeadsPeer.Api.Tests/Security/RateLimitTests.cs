using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.Security;

/// <summary>
/// Floods get 429 problem details with <c>Retry-After</c>: sign-ins from one address against many
/// accounts, guesses on one account, sign-ups, and one organisation's sandbox messages — while
/// another organisation's are still served.
/// </summary>
public sealed class RateLimitTests(TestStores stores) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        _api.Settings["RateLimits:SignInPerAddress:Permits"] = "6";
        _api.Settings["RateLimits:SignInPerAccount:Permits"] = "3";
        _api.Settings["RateLimits:AccountsPerAddress:Permits"] = "4";
        _api.Settings["RateLimits:SandboxPerOrganization:Permits"] = "2";
    }

    [Fact]
    public async Task Failed_sign_ins_from_one_address_are_answered_401_then_429_with_retry_after()
    {
        using var visitor = _api.CreateClient();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 8; i++)
        {
            last?.Dispose();
            last = await visitor.PostAsJsonAsync("/api/auth/login", new { email = $"nobody{i}@spray.example", password = "wrong password here" }, Ct);
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 6), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.True(int.Parse(last!.Headers.GetValues("Retry-After").Single()) is > 0 and <= 60);
        Assert.Equal("application/problem+json", last.Content.Headers.ContentType?.MediaType);
        last.Dispose();
    }

    [Fact]
    public async Task Guesses_on_one_account_are_refused_before_its_lockout_while_another_account_may_still_try()
    {
        // Signing up signs the owner in: one of the account's three attempts is spent.
        using var owner = await _api.SignUpAsync("Guarded Gloves", "owner@guarded.example");
        using var visitor = _api.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var guess = await visitor.PostAsJsonAsync("/api/auth/login", new { email = "owner@guarded.example", password = $"guess number {i}" }, Ct);
            statuses.Add(guess.StatusCode);
            if (guess.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(guess.Headers.Contains("Retry-After"));
            }
        }

        using var other = await visitor.PostAsJsonAsync("/api/auth/login", new { email = "someone@else.example", password = "guess number 1" }, Ct);

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
        // Two wrong passwords reached Identity: far from the lockout (five), which the throttle keeps anyone from reaching from one address.
        Assert.Equal(2, await new Db(_api.DatabaseConnectionString).ScalarAsync<int>("SELECT access_failed_count FROM users WHERE email = 'owner@guarded.example'"));
    }

    [Fact]
    public async Task Sign_ups_and_reset_requests_from_one_address_are_limited_together()
    {
        using var visitor = _api.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var forgot = await visitor.PostAsJsonAsync("/api/auth/forgot-password", new { email = $"victim{i}@inbox.example" }, Ct);
            statuses.Add(forgot.StatusCode);
        }

        using var signUp = await visitor.PostAsJsonAsync("/api/onboarding/signup",
            new { organizationName = "Flood Farm", name = "Flo", email = "flo@flood.example", password = ApiFactory.Password }, Ct);
        using var refused = await visitor.PostAsJsonAsync("/api/onboarding/signup",
            new { organizationName = "Flood Farm 2", name = "Flo", email = "flo2@flood.example", password = ApiFactory.Password }, Ct);

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted], statuses);
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.TooManyRequests), (signUp.StatusCode, refused.StatusCode));
        Assert.Equal(0, await new Db(_api.DatabaseConnectionString).CountAsync("organizations", "name = 'Flood Farm 2'"));
    }

    [Fact]
    public async Task One_organisations_sandbox_flood_is_limited_and_another_organisation_is_still_served()
    {
        var (first, firstSandbox) = await OrganizationWithSandboxAsync("Busy Bakes", "owner@busy.example");
        var (second, secondSandbox) = await OrganizationWithSandboxAsync("Quiet Quiche", "owner@quiet.example");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var sent = await first.PostAsJsonAsync($"/api/sandbox/connections/{firstSandbox}/customer-messages", new { text = $"Hello {i}" }, Ct);
            statuses.Add(sent.StatusCode);
        }

        using var theirs = await second.PostAsJsonAsync($"/api/sandbox/connections/{secondSandbox}/customer-messages", new { text = "Hello" }, Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[2]);
        Assert.True(statuses.Take(2).All(s => (int)s is >= 200 and < 300), string.Join(", ", statuses));
        Assert.True(theirs.IsSuccessStatusCode, $"{(int)theirs.StatusCode}");
        Assert.Equal(2, await new Db(_api.DatabaseConnectionString).CountAsync("messages m JOIN conversations v ON v.id = m.conversation_id JOIN whats_app_connections c ON c.id = v.connection_id",
            "c.id = $1", firstSandbox));
        first.Dispose();
        second.Dispose();
    }

    private async Task<(HttpClient Owner, Guid Sandbox)> OrganizationWithSandboxAsync(string name, string email)
    {
        var owner = await _api.SignUpAsync(name, email);
        using var created = await owner.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        return (owner, (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid());
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();
}
