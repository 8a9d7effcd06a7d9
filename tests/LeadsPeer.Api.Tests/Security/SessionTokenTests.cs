using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.Security;

/// <summary>
/// Refresh tokens live server-side and work once: a retry within the grace period (two tabs)
/// is honoured, a reuse after it ends the whole family; sign-out and a password reset end them;
/// and the Data Protection keys that sign access tokens are stored encrypted.
/// </summary>
public sealed class SessionTokenTests(TestStores stores) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ApiFactory _api = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        _client = _api.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task A_refresh_token_works_once_and_its_reuse_after_the_grace_period_ends_every_token_of_its_sign_in()
    {
        await SignUpAsync("rotate@example.com");
        var first = await LoginAsync("rotate@example.com");
        var other = await LoginAsync("rotate@example.com"); // another device: its own family

        var (status, second) = await RefreshAsync(first);
        var (twoTabs, sibling) = await RefreshAsync(first); // the same token again at once: a second tab
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, twoTabs);
        Assert.NotEqual(second, sibling);

        _api.Clock.Advance(TimeSpan.FromSeconds(31));
        var (reused, _) = await RefreshAsync(first);
        var (afterTheft, _) = await RefreshAsync(second!);
        var (otherDevice, _) = await RefreshAsync(other);

        Assert.Equal(HttpStatusCode.Unauthorized, reused);
        Assert.Equal(HttpStatusCode.Unauthorized, afterTheft); // the family is revoked, the legitimate copy too
        Assert.Equal(HttpStatusCode.OK, otherDevice);
    }

    [Fact]
    public async Task Signing_out_ends_the_refresh_token_and_a_password_reset_ends_all_of_them()
    {
        await SignUpAsync("leave@example.com");
        var signedOut = await LoginAsync("leave@example.com");
        var kept = await LoginAsync("leave@example.com");

        using var logout = await _client.PostAsJsonAsync("/api/auth/logout", new { refreshToken = signedOut }, Ct);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(signedOut)).Status);
        var (stillWorks, next) = await RefreshAsync(kept);
        Assert.Equal(HttpStatusCode.OK, stillWorks);

        // Another organisation's member signing out (with their own token, the route's only key) ends nothing of ours.
        await SignUpAsync("rival-leave@example.com");
        using var rivalLogout = await _client.PostAsJsonAsync("/api/auth/logout", new { refreshToken = await LoginAsync("rival-leave@example.com") }, Ct);
        Assert.Equal(HttpStatusCode.NoContent, rivalLogout.StatusCode);
        (stillWorks, next) = await RefreshAsync(next!);
        Assert.Equal(HttpStatusCode.OK, stillWorks);

        using var forgot = await _client.PostAsJsonAsync("/api/auth/forgot-password", new { email = "leave@example.com" }, Ct);
        using var reset = await _client.PostAsJsonAsync("/api/auth/reset-password",
            new { email = "leave@example.com", token = _api.ResetTokenSentTo("leave@example.com"), newPassword = "a brand new passphrase 2026" }, Ct);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(next!)).Status);
    }

    [Fact]
    public async Task Only_a_hash_of_each_refresh_token_is_stored_and_the_key_ring_is_encrypted()
    {
        await SignUpAsync("stored@example.com");
        var token = await LoginAsync("stored@example.com");

        var db = new Db(_api.DatabaseConnectionString);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM refresh_tokens WHERE token_hash = $1", Encoding.ASCII.GetBytes(token)));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM refresh_tokens WHERE token_hash = $1", SHA256.HashData(Encoding.ASCII.GetBytes(token))));

        var keys = (await db.RowsAsync("SELECT xml FROM data_protection_keys")).Select(r => (string)r[0]!).ToList();
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("<encryptedKey", xml);
            Assert.DoesNotContain("<masterKey", xml); // the key material itself never in the clear
        });
    }

    [Fact]
    public async Task A_stateless_refresh_token_of_the_bearer_scheme_is_refused()
    {
        await SignUpAsync("legacy@example.com");
        var stateless = Convert.ToBase64String(RandomNumberGenerator.GetBytes(120));

        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(stateless)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync("")).Status);
    }

    private async Task SignUpAsync(string email)
    {
        using var response = await _client.PostAsJsonAsync("/api/onboarding/signup",
            new { organizationName = "Tokens Co " + email, name = "Tia Token", email, password = ApiFactory.Password }, Ct);
        response.EnsureSuccessStatusCode();
    }

    private async Task<string> LoginAsync(string email)
    {
        using var response = await _client.PostAsJsonAsync("/api/auth/login", new { email, password = ApiFactory.Password }, Ct);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(15 * 60, body.GetProperty("expiresIn").GetInt32());
        return body.GetProperty("refreshToken").GetString()!;
    }

    private async Task<(HttpStatusCode Status, string? Next)> RefreshAsync(string refreshToken)
    {
        using var response = await _client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken }, Ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (response.StatusCode, null);
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(HttpStatusCode.OK, await ProfileStatusAsync(body.GetProperty("accessToken").GetString()!));
        return (response.StatusCode, body.GetProperty("refreshToken").GetString());
    }

    private async Task<HttpStatusCode> ProfileStatusAsync(string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await _client.SendAsync(request, Ct);
        return response.StatusCode;
    }
}
