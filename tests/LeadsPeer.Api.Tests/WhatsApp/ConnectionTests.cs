using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LeadsPeer.Testing;
using Npgsql;

namespace LeadsPeer.Api.Tests.WhatsApp;

public sealed class ConnectionTests(TestStores stores) : IAsyncLifetime
{
    private const string Token = "EAAG-stub-business-token-42";
    private GraphApiStub _graph = null!;
    private ApiFactory _api = null!;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _graph = await GraphApiStub.StartAsync();
        _api = await ApiFactory.CreateAsync(stores);
        _api.Settings["WhatsApp:GraphApiBaseUrl"] = _graph.BaseUrl.ToString();
        _api.Settings["WhatsApp:GraphApiVersion"] = GraphApiStub.Version;
        _api.Settings["WhatsApp:AppId"] = GraphApiStub.AppId;
        _api.Settings["WhatsApp:AppSecret"] = GraphApiStub.AppSecret;
        _api.Settings["WhatsApp:ConfigId"] = "cfg-1";
    }

    [Fact]
    public async Task Embedded_signup_connects_the_number_and_stores_only_encrypted_secrets()
    {
        using var owner = await _api.SignUpAsync("November Nails", "owner@november.example");
        OfferNumber("waba-1", "pn-1");

        using var response = await CompleteAsync(owner, "waba-1", "pn-1", _graph.IssueCode(Token));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var connection = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("+1 555 0100", connection.GetProperty("displayPhoneNumber").GetString());
        Assert.Equal("Active", connection.GetProperty("status").GetString());
        Assert.Equal(["exchange", "debug_token", "phone_numbers:waba-1", "subscribe:waba-1", "register:pn-1:pin-ok"], _graph.Calls);
        var (storedToken, storedPin) = await StoredSecretsAsync(connection.GetProperty("id").GetGuid());
        Assert.NotNull(storedToken);
        Assert.NotNull(storedPin);
        Assert.DoesNotContain("stub-business-token", Encoding.UTF8.GetString(storedToken));
        Assert.DoesNotContain(Token, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task A_replayed_code_is_refused_and_connects_nothing_more()
    {
        using var owner = await _api.SignUpAsync("Oscar Optics", "owner@oscar.example");
        OfferNumber("waba-2", "pn-2");
        var code = _graph.IssueCode(Token);
        (await CompleteAsync(owner, "waba-2", "pn-2", code)).Dispose();

        using var replay = await CompleteAsync(owner, "waba-2", "pn-2", code);

        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal(1, await CountAsync("whats_app_connections"));
    }

    [Theory]
    [InlineData("missing-scope")]
    [InlineData("waba-not-granted")]
    [InlineData("register-fails")]
    [InlineData("bad-state")]
    public async Task Each_failure_is_a_clear_problem_and_leaves_no_connection_behind(string failure)
    {
        using var owner = await _api.SignUpAsync("Papa Pets " + failure, $"owner-{failure}@papa.example");
        OfferNumber("waba-3", "pn-3");
        switch (failure)
        {
            case "missing-scope": _graph.GrantedScopes.Remove("whatsapp_business_messaging"); break;
            case "waba-not-granted": _graph.TargetIds.Remove("waba-3"); break;
            case "register-fails": _graph.RegisterErrorCode = 133005; break;
        }

        using var response = await CompleteAsync(owner, "waba-3", "pn-3", _graph.IssueCode(Token), forgeState: failure == "bad-state");

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.Equal(0, await CountAsync("whats_app_connections"));
        if (failure == "register-fails")
        {
            // The subscription made before registration failed is undone.
            Assert.Contains("unsubscribe:waba-3", _graph.Calls);
        }
    }

    [Fact]
    public async Task A_sandbox_number_is_created_once_listed_and_removal_keeps_the_row_but_no_secrets()
    {
        using var owner = await _api.SignUpAsync("Quebec Quilts", "owner@quebec.example");
        OfferNumber("waba-4", "pn-4");

        using var sandbox = await owner.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        using var second = await owner.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        using var real = await CompleteAsync(owner, "waba-4", "pn-4", _graph.IssueCode(Token));
        var realId = (await real.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        var listed = await owner.GetFromJsonAsync<JsonElement>("/api/whatsapp/connections", Ct);
        using var removed = await owner.DeleteAsync($"/api/whatsapp/connections/{realId}", Ct);
        var afterRemoval = await owner.GetFromJsonAsync<JsonElement>("/api/whatsapp/connections", Ct);

        Assert.Equal(HttpStatusCode.Created, sandbox.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(2, listed.GetArrayLength());
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(["Sandbox"], afterRemoval.EnumerateArray().Select(c => c.GetProperty("kind").GetString()));
        Assert.Contains("unsubscribe:waba-4", _graph.Calls);
        Assert.Equal((null, null), await StoredSecretsAsync(realId));
        Assert.Equal(2, await CountAsync("whats_app_connections"));
    }

    [Fact]
    public async Task Operators_may_not_manage_connections_and_other_organisations_connections_are_not_found()
    {
        using var alpha = await _api.SignUpAsync("Romeo Rugs", "owner@romeo.example");
        using var beta = await _api.SignUpAsync("Sierra Soap", "owner@sierra.example");
        using var sandbox = await alpha.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        var alphaConnection = (await sandbox.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        await alpha.PostAsJsonAsync("/api/team/invitations", new { email = "op@romeo.example", role = "Operator" }, Ct);
        using var anonymous = _api.CreateClient();
        (await anonymous.PostAsJsonAsync($"/api/team/invitations/{_api.InvitationTokenSentTo("op@romeo.example")}/accept",
            new { name = "Op", password = ApiFactory.Password }, Ct)).Dispose();
        using var operatorClient = await _api.SignInAsync("op@romeo.example", ApiFactory.Password);

        using var operatorList = await operatorClient.GetAsync("/api/whatsapp/connections", Ct);
        using var betaDelete = await beta.DeleteAsync($"/api/whatsapp/connections/{alphaConnection}", Ct);
        var betaList = await beta.GetFromJsonAsync<JsonElement>("/api/whatsapp/connections", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, operatorList.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, betaDelete.StatusCode);
        Assert.Empty(betaList.EnumerateArray());
        Assert.Single(await alpha.GetFromJsonAsync<JsonElement>("/api/whatsapp/connections", Ct) is var list ? list.EnumerateArray() : default);
    }

    [Fact]
    public async Task A_connection_whose_token_meta_rejected_is_reauthorised_by_running_embedded_signup_again()
    {
        using var owner = await _api.SignUpAsync("Victor Vans", "owner@victor.example");
        OfferNumber("waba-5", "pn-5");
        using var first = await CompleteAsync(owner, "waba-5", "pn-5", _graph.IssueCode(Token));
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        await ExecuteAsync("UPDATE whats_app_connections SET status = 'NeedsReauthorization', status_reason = 'Meta rejected the token.' WHERE id = $1", id);
        var (tokenBefore, _) = await StoredSecretsAsync(id);

        using var again = await CompleteAsync(owner, "waba-5", "pn-5", _graph.IssueCode("EAAG-fresh-token"));

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        var revived = await again.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(id, revived.GetProperty("id").GetGuid());
        Assert.Equal("Active", revived.GetProperty("status").GetString());
        var (tokenAfter, _) = await StoredSecretsAsync(id);
        Assert.NotEqual(tokenBefore, tokenAfter);
        Assert.Equal(1, await CountAsync("whats_app_connections"));
    }

    [Fact]
    public async Task An_oversized_json_body_is_refused_with_413_before_anything_is_stored()
    {
        using var anonymous = _api.CreateClient();
        var huge = new string('x', 100_000);

        using var response = await anonymous.PostAsJsonAsync("/api/onboarding/signup",
            new { organizationName = huge, name = "A", email = "big@example.com", password = ApiFactory.Password }, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await CountAsync("organizations"));
    }

    [Fact]
    public async Task The_openapi_document_describes_the_tenant_api()
    {
        using var anonymous = _api.CreateClient();

        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/onboarding/signup", paths);
        Assert.Contains("/api/team/invitations/{token}/accept", paths);
        Assert.Contains("/api/whatsapp/connections/{id}", paths);
    }

    [Fact]
    public async Task Every_tenant_route_describes_its_success_and_its_problem_answers_in_openapi()
    {
        using var anonymous = _api.CreateClient();

        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);

        var operations = document.GetProperty("paths").EnumerateObject()
            .Where(path => path.Name.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (Route: $"{operation.Name.ToUpperInvariant()} {path.Name}", Responses: operation.Value.GetProperty("responses"))))
            .ToList();
        Assert.True(operations.Count >= 40, $"only {operations.Count} operations documented");
        foreach (var (route, responses) in operations)
        {
            var answers = responses.EnumerateObject().ToDictionary(r => r.Name, r => r.Value);
            var success = answers.Where(a => a.Key.StartsWith('2')).ToList();
            Assert.True(success.Count > 0, $"{route}: no success answer");
            // A success with a body names its schema (204 and the token endpoints' empty 200 aside).
            Assert.All(success.Where(a => a.Key is not "204" && a.Value.TryGetProperty("content", out _)),
                a => Assert.True(a.Value.GetProperty("content").EnumerateObject().First().Value.TryGetProperty("schema", out _), $"{route}: {a.Key} without a schema"));
            var problems = answers.Where(a => a.Key.StartsWith('4')).ToList();
            Assert.True(problems.Count > 0, $"{route}: no error answer");
            Assert.All(problems, a => Assert.True(
                a.Value.TryGetProperty("content", out var content) && content.TryGetProperty("application/problem+json", out var problem) && problem.TryGetProperty("schema", out _),
                $"{route}: {a.Key} is not described as a problem-details body"));
        }
    }

    private async Task ExecuteAsync(string sql, Guid id)
    {
        await using var connection = new NpgsqlConnection(_api.DatabaseConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(id);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private void OfferNumber(string wabaId, string phoneNumberId)
    {
        _graph.TargetIds.Add(wabaId);
        _graph.PhoneNumbers[wabaId] = [(phoneNumberId, "+1 555 0100", "Test Business")];
    }

    private async Task<HttpResponseMessage> CompleteAsync(HttpClient owner, string wabaId, string phoneNumberId, string code, bool forgeState = false)
    {
        using var start = await owner.PostAsync("/api/whatsapp/connections/embedded-signup/start", null, Ct);
        start.EnsureSuccessStatusCode();
        var state = (await start.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("state").GetString();
        return await owner.PostAsJsonAsync("/api/whatsapp/connections/embedded-signup",
            new { code, wabaId, phoneNumberId, state = forgeState ? "forged" + state : state }, Ct);
    }

    private async Task<(byte[]? Token, byte[]? Pin)> StoredSecretsAsync(Guid connectionId)
    {
        await using var connection = new NpgsqlConnection(_api.DatabaseConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            "SELECT encrypted_access_token, encrypted_pin FROM whats_app_connections WHERE id = $1", connection);
        command.Parameters.AddWithValue(connectionId);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        return (reader.IsDBNull(0) ? null : (byte[])reader[0], reader.IsDBNull(1) ? null : (byte[])reader[1]);
    }

    private async Task<long> CountAsync(string table)
    {
        await using var connection = new NpgsqlConnection(_api.DatabaseConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        await _graph.DisposeAsync();
    }
}
