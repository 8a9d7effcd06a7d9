using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LeadsPeer.Testing;
using Npgsql;

namespace LeadsPeer.Api.Tests.Accounts;

public sealed class AccountTests(TestStores stores) : IAsyncLifetime
{
    private const string Password = ApiFactory.Password;
    private ApiFactory _api = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        _client = _api.CreateClient();
    }

    [Fact]
    public async Task Sign_up_then_sign_in_gives_a_token_and_the_profile_shows_the_owner_of_the_new_organisation()
    {
        var signUp = await SignUpAsync("Alpha Bikes", "ana@alpha.example");
        Assert.Equal(HttpStatusCode.Created, signUp.StatusCode);

        var token = await LoginAsync("ana@alpha.example", Password);
        using var me = await GetProfileAsync(token.GetProperty("accessToken").GetString()!);

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var profile = await me.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("ana@alpha.example", profile.GetProperty("email").GetString());
        Assert.Equal("Alpha Bikes", profile.GetProperty("currentOrganization").GetProperty("organizationName").GetString());
        Assert.Equal("Owner", profile.GetProperty("currentOrganization").GetProperty("role").GetString());
        Assert.Single(profile.GetProperty("memberships").EnumerateArray());
        Assert.Contains("ManageTeam", profile.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task The_profile_needs_a_token()
    {
        using var response = await _client.GetAsync("/api/me", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_second_sign_up_with_the_same_email_is_a_conflict_and_stores_nothing()
    {
        await SignUpAsync("First Co", "dup@example.com");
        var organizationsBefore = await CountAsync("organizations");

        using var second = await SignUpAsync("Second Co", "DUP@example.com");

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        Assert.Equal(organizationsBefore, await CountAsync("organizations"));
    }

    [Theory]
    [InlineData("Short Co", "short@example.com", "tooshort", "password")]
    [InlineData("Common Co", "common@example.com", "password2024!", "password")]
    [InlineData("Common Co", "common2@example.com", "qwertyuiop", "password")]
    [InlineData("<script>alert(1)</script>", "html@example.com", Password, "organizationName")]
    [InlineData("Bobby'); DROP TABLE organizations;--", "sql@example.com", Password, "organizationName")]
    [InlineData("Fine Co", "not-an-email", Password, "email")]
    public async Task Invalid_sign_ups_are_refused_with_the_field_named_and_store_nothing(string organization, string email, string password, string field)
    {
        var organizationsBefore = await CountAsync("organizations");
        var usersBefore = await CountAsync("users");

        using var response = await _client.PostAsJsonAsync("/api/onboarding/signup",
            new { organizationName = organization, name = "Test Person", email, password }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(organizationsBefore, await CountAsync("organizations"));
        Assert.Equal(usersBefore, await CountAsync("users"));
    }

    [Theory]
    [InlineData("{\"organizationName\": \"X\", ")]
    [InlineData("{\"organizationName\": \"X Co\", \"name\": \"A\", \"email\": \"x@example.com\", \"password\": \"long enough pass\", \"isAdmin\": true}")]
    public async Task Malformed_or_unknown_field_json_is_a_400_problem(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await _client.PostAsync("/api/onboarding/signup", content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await CountAsync("organizations", "name = 'X Co'"));
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        await SignUpAsync("Locked Co", "lock@example.com");
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await _client.PostAsJsonAsync("/api/auth/login",
                new { email = "lock@example.com", password = "wrong password " + i }, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var right = await _client.PostAsJsonAsync("/api/auth/login",
            new { email = "lock@example.com", password = Password }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        var problem = await right.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal("This account is locked.", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_refresh_token_gives_a_working_access_token_and_a_forged_one_is_refused()
    {
        await SignUpAsync("Refresh Co", "refresh@example.com");
        var token = await LoginAsync("refresh@example.com", Password);

        using var refreshed = await _client.PostAsJsonAsync("/api/auth/refresh",
            new { refreshToken = token.GetProperty("refreshToken").GetString() }, TestContext.Current.CancellationToken);
        using var forged = await _client.PostAsJsonAsync("/api/auth/refresh",
            new { refreshToken = "not-a-token" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var newToken = await refreshed.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        using var me = await GetProfileAsync(newToken.GetProperty("accessToken").GetString()!);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    [Fact]
    public async Task The_stored_password_is_a_hash_not_the_password()
    {
        await SignUpAsync("Hash Co", "hash@example.com");

        await using var connection = new NpgsqlConnection(_api.DatabaseConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT password_hash FROM users WHERE email = 'hash@example.com'", connection);
        var hash = (string)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;

        Assert.DoesNotContain(Password, hash);
        Assert.True(hash.Length > 40);
    }

    private Task<HttpResponseMessage> SignUpAsync(string organization, string email) =>
        _client.PostAsJsonAsync("/api/onboarding/signup",
            new { organizationName = organization, name = "Ana Example", email, password = Password }, TestContext.Current.CancellationToken);

    private async Task<JsonElement> LoginAsync(string email, string password)
    {
        using var response = await _client.PostAsJsonAsync("/api/auth/login", new { email, password }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    private Task<HttpResponseMessage> GetProfileAsync(string accessToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return _client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<long> CountAsync(string table, string where = "true")
    {
        await using var connection = new NpgsqlConnection(_api.DatabaseConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table} WHERE {where}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _api.DisposeAsync();
    }
}
