using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadsPeer.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsPeer.Api.Tests.Templates;

/// <summary>
/// A sandbox number's templates through the REST API, against the simulator speaking Graph:
/// submitted and reviewed (approved, or rejected with Meta's reason) with the decision arriving
/// as a signed status webhook; synced across pages; deleted; every rule refused by its field; and
/// only the organisation's own numbers reachable.
/// </summary>
public sealed class TemplateCatalogTests(TestStores stores) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private Db _db = null!;
    private HttpClient _owner = null!;
    private Guid _sandbox;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        _api.GraphInProcess = true;
        _db = new Db(_api.DatabaseConnectionString);
        _owner = await _api.SignUpAsync("Garden Bakes", "owner@garden.example");
        _sandbox = await TemplateScenario.SandboxAsync(_owner, Ct);
    }

    [Fact]
    public async Task A_submitted_template_is_pending_then_approved_live_by_Meta_s_status_webhook()
    {
        using var created = await TemplateScenario.CreateAsync(_owner, _sandbox, "order_ready", "UTILITY", Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Pending", view.GetProperty("status").GetString());
        Assert.Equal(["1", "2"], view.GetProperty("parameters").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("Hi {{1}}, your order {{2}} is ready for pickup.", view.GetProperty("body").GetString());

        _api.Clock.Advance(TimeSpan.FromSeconds(3));
        var approved = await TemplateScenario.WaitForStatusAsync(_owner, _sandbox, "order_ready", "Approved", Ct);
        Assert.Equal("Utility", approved.GetProperty("category").GetString());
        Assert.Equal(JsonValueKind.Null, approved.GetProperty("statusReason").ValueKind);
    }

    [Fact]
    public async Task A_rejected_template_shows_Meta_s_reason()
    {
        (await TemplateScenario.CreateAsync(_owner, _sandbox, "reject_spam", "MARKETING", Ct)).Dispose();

        _api.Clock.Advance(TimeSpan.FromSeconds(3));
        var rejected = await TemplateScenario.WaitForStatusAsync(_owner, _sandbox, "reject_spam", "Rejected", Ct);
        Assert.Equal("INVALID_FORMAT", rejected.GetProperty("statusReason").GetString());
    }

    [Fact]
    public async Task Sync_reads_every_page_and_removes_what_Meta_no_longer_has()
    {
        // 130 templates at "Meta" (the simulator's store): two pages of Meta's maximum of 100.
        var waba = await _db.ScalarAsync<string>("SELECT waba_id FROM whats_app_connections WHERE id = $1", _sandbox);
        var tenant = await _db.ScalarAsync<Guid>("SELECT tenant_id FROM whats_app_connections WHERE id = $1", _sandbox);
        await _db.ExecuteAsync("""
            INSERT INTO sandbox_templates (id, tenant_id, connection_id, waba_id, meta_id, name, language, category, parameter_format, components, decision, decided_at, created_at)
            SELECT gen_random_uuid(), $1, $2, $3, (100000 + i)::text, 'notice_' || i, 'en_US', 'UTILITY', 'POSITIONAL',
                   ('[{"type":"BODY","text":"Notice number ' || i || ' for you."}]')::jsonb, 'APPROVED', now() - interval '1 hour', now() + i * interval '1 millisecond'
            FROM generate_series(1, 130) i
            """, tenant, _sandbox, waba);
        // One the product has that Meta does not (deleted in WhatsApp Manager).
        await _db.ExecuteAsync("""
            INSERT INTO message_templates (id, tenant_id, connection_id, name, language, category, status, parameter_format, components, created_at, updated_at)
            VALUES (gen_random_uuid(), $1, $2, 'gone_elsewhere', 'en_US', 'Utility', 'Approved', 'Positional', '[]', now(), now())
            """, tenant, _sandbox);

        using var synced = await _owner.PostAsync($"/api/whatsapp/connections/{_sandbox}/templates/sync", null, Ct);

        Assert.Equal(HttpStatusCode.OK, synced.StatusCode);
        var names = (await synced.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Equal(130, names.Count);
        Assert.Contains("notice_130", names);
        Assert.DoesNotContain("gone_elsewhere", names);
        Assert.Equal(130, await _db.CountAsync("message_templates", "status = 'Approved' AND quality = 'GREEN'"));
    }

    [Fact]
    public async Task Delete_removes_the_template_at_Meta_and_here()
    {
        (await TemplateScenario.CreateAsync(_owner, _sandbox, "old_promo", "MARKETING", Ct)).Dispose();

        using var deleted = await _owner.DeleteAsync($"/api/whatsapp/connections/{_sandbox}/templates/old_promo", Ct);
        using var again = await _owner.DeleteAsync($"/api/whatsapp/connections/{_sandbox}/templates/old_promo", Ct);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(0, await _db.CountAsync("message_templates"));
        Assert.Equal(0, await _db.CountAsync("sandbox_templates"));
    }

    [Fact]
    public async Task A_second_template_with_the_same_name_and_language_is_refused_before_Meta()
    {
        (await TemplateScenario.CreateAsync(_owner, _sandbox, "order_ready", "UTILITY", Ct)).Dispose();

        using var twice = await TemplateScenario.CreateAsync(_owner, _sandbox, "order_ready", "UTILITY", Ct);

        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal(1, await _db.CountAsync("sandbox_templates"));
    }

    public static TheoryData<string, string, string> Broken => new()
    {
        { """{"name":"Order Ready","language":"en_US","category":"UTILITY","body":"Hello there, friend."}""", "name", "lowercase" },
        { """{"name":"ok","language":"english","category":"UTILITY","body":"Hello there, friend."}""", "language", "en_US" },
        { """{"name":"ok","language":"en_US","category":"PROMO","body":"Hello there, friend."}""", "category", "MARKETING or UTILITY" },
        { """{"name":"ok","language":"en_US","category":"AUTHENTICATION","body":"Hello there, friend."}""", "category", "WhatsApp Manager" },
        { $$"""{"name":"ok","language":"en_US","category":"UTILITY","body":"{{new string('b', 1025)}}"}""", "body", "1 to 1024" },
        { $$"""{"name":"ok","language":"en_US","category":"UTILITY","body":"Hello.","header":"{{new string('h', 61)}}"}""", "header", "1 to 60" },
        { """{"name":"ok","language":"en_US","category":"UTILITY","body":"Hello.","footer":"Reply {{1}}"}""", "footer", "cannot have variables" },
        { """{"name":"ok","language":"en_US","category":"UTILITY","body":"Hi {{1}}, order ready."}""", "examples.1", "Give an example" },
        { """{"name":"ok","language":"en_US","category":"UTILITY","body":"Hi {{1}}, order {{name}} ready.","examples":{"1":"a","name":"b"}}""", "body", "one style" },
        { """{"name":"ok","language":"en_US","category":"UTILITY","body":"Hi {{2}}, order ready.","examples":{"2":"a"}}""", "body", "without gaps" },
        { """{"name":"ok","language":"en_US","category":"UTILITY","body":"{{1}} is ready.","examples":{"1":"a"}}""", "body", "starts or ends" },
        { """{"name":"ok","language":"en_US","category":"UTILITY","body":"Hello there.","examples":{"1":"a"}}""", "examples.1", "no variable" },
        { """{"name":"ok","language":"en_US","category":"UTILITY","body":"Hello there.","buttons":[{"type":"URL","text":"Track","url":"http://x.example"}]}""", "buttons[0].url", "https" },
        { """{"name":"ok","language":"en_US","category":"UTILITY","body":"Hello there.","buttons":[{"type":"QUICK_REPLY","text":"A button text over 25 chars"}]}""", "buttons[0].text", "1 to 25" },
        { """{"name":"ok","language":"en_US","category":"UTILITY","body":"Hello there.","buttons":[{"type":"PHONE_NUMBER","text":"Call","phoneNumber":"0201234"}]}""", "buttons[0].phoneNumber", "international" },
        { """{"name":"ok","language":"en_US","category":"UTILITY","body":"Hello there.","buttons":[{"type":"COPY","text":"Copy"}]}""", "buttons[0].type", "QUICK_REPLY, URL or PHONE_NUMBER" },
        { $$"""{"name":"ok","language":"en_US","category":"UTILITY","body":"Hello there.","buttons":[{{string.Join(",", Enumerable.Range(0, 11).Select(i => $$"""{"type":"QUICK_REPLY","text":"B{{i}}"}"""))}}]}""", "buttons", "at most 10" },
        { """{"name":"ok","language":"en_US","category":"UTILITY","body":"Hello there.","buttons":[{"type":"URL","text":"A","url":"https://a.example"},{"type":"URL","text":"B","url":"https://b.example"},{"type":"URL","text":"C","url":"https://c.example"}]}""", "buttons", "at most 2 link" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public async Task Each_rule_is_refused_naming_its_field_and_nothing_reaches_Meta(string draft, string field, string words)
    {
        using var response = await _owner.PostAsync($"/api/whatsapp/connections/{_sandbox}/templates",
            new StringContent(draft, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains(problem.GetProperty("errors").GetProperty(field).EnumerateArray(), m => m.GetString()!.Contains(words));
        Assert.Equal(0, await _db.CountAsync("sandbox_templates"));
        Assert.Equal(0, await _db.CountAsync("message_templates"));
    }

    [Fact]
    public async Task A_status_webhook_for_a_template_nobody_has_is_answered_200_logged_and_changes_nothing()
    {
        (await TemplateScenario.CreateAsync(_owner, _sandbox, "order_ready", "UTILITY", Ct)).Dispose();
        var waba = await _db.ScalarAsync<string>("SELECT waba_id FROM whats_app_connections WHERE id = $1", _sandbox);
        var webhook = MetaPayloads.Entries(new JsonObject
        {
            ["id"] = waba,
            ["changes"] = new JsonArray(new JsonObject
            {
                ["field"] = "message_template_status_update",
                ["value"] = new JsonObject
                {
                    ["event"] = "DISABLED", ["message_template_id"] = 987654321, ["message_template_name"] = "someone_elses",
                    ["message_template_language"] = "en_US", ["reason"] = "NONE",
                },
            }),
        });

        using var response = await _api.CreateClient().PostAsync("/webhooks/whatsapp", MetaPayloads.Signed(webhook), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Pending", await _db.ScalarAsync<string>("SELECT status FROM message_templates WHERE name = 'order_ready'"));
        Assert.Contains("for a template this product does not have", _api.Logs.All);
    }

    [Fact]
    public async Task Quality_and_category_webhooks_update_the_template_routed_by_its_WABA()
    {
        (await TemplateScenario.CreateAsync(_owner, _sandbox, "order_ready", "UTILITY", Ct)).Dispose();
        var row = (await _db.RowsAsync("SELECT w.waba_id, t.meta_id FROM message_templates t JOIN whats_app_connections w ON w.id = t.connection_id")).Single();
        var (waba, metaId) = ((string)row[0]!, (string)row[1]!);
        JsonObject Change(string field, JsonObject value)
        {
            value["message_template_id"] = long.Parse(metaId);
            value["message_template_name"] = "order_ready";
            value["message_template_language"] = "en_US";
            return MetaPayloads.Entries(new JsonObject { ["id"] = waba, ["changes"] = new JsonArray(new JsonObject { ["field"] = field, ["value"] = value }) });
        }

        var client = _api.CreateClient();
        (await client.PostAsync("/webhooks/whatsapp", MetaPayloads.Signed(Change("message_template_quality_update",
            new JsonObject { ["previous_quality_score"] = "GREEN", ["new_quality_score"] = "YELLOW" })), Ct)).EnsureSuccessStatusCode();
        (await client.PostAsync("/webhooks/whatsapp", MetaPayloads.Signed(Change("template_category_update",
            new JsonObject { ["previous_category"] = "UTILITY", ["new_category"] = "MARKETING" })), Ct)).EnsureSuccessStatusCode();

        var updated = (await _db.RowsAsync("SELECT quality, category FROM message_templates")).Single();
        Assert.Equal(("YELLOW", "Marketing"), ((string)updated[0]!, (string)updated[1]!));
    }

    [Fact]
    public async Task Another_organisation_reaches_none_of_this_number_s_template_routes()
    {
        (await TemplateScenario.CreateAsync(_owner, _sandbox, "order_ready", "UTILITY", Ct)).Dispose();
        var stranger = await _api.SignUpAsync("Rival Rolls", "owner@rival.example");
        var route = $"/api/whatsapp/connections/{_sandbox}/templates";

        using var list = await stranger.GetAsync(route, Ct);
        using var sync = await stranger.PostAsync($"{route}/sync", null, Ct);
        using var create = await TemplateScenario.CreateAsync(stranger, _sandbox, "planted", "UTILITY", Ct);
        using var delete = await stranger.DeleteAsync($"{route}/order_ready", Ct);

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound],
            new[] { list.StatusCode, sync.StatusCode, create.StatusCode, delete.StatusCode });
        Assert.Equal(["order_ready"], (await _db.RowsAsync("SELECT name FROM message_templates")).Select(r => (string)r[0]!));
        Assert.Equal(1, await _db.CountAsync("sandbox_templates"));
    }

    [Fact]
    public async Task Operators_see_the_templates_but_do_not_manage_them()
    {
        (await TemplateScenario.CreateAsync(_owner, _sandbox, "order_ready", "UTILITY", Ct)).Dispose();
        var operatorClient = await TemplateScenario.OperatorAsync(_api, _owner, "olive@garden.example", Ct);
        var route = $"/api/whatsapp/connections/{_sandbox}/templates";

        using var list = await operatorClient.GetAsync(route, Ct);
        using var create = await TemplateScenario.CreateAsync(operatorClient, _sandbox, "by_operator", "UTILITY", Ct);
        using var delete = await operatorClient.DeleteAsync($"{route}/order_ready", Ct);

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Single((await list.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray());
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (create.StatusCode, delete.StatusCode));
        Assert.Equal(1, await _db.CountAsync("message_templates"));
    }

    [Fact]
    public async Task The_simulator_s_template_store_answers_another_organisation_s_token_with_Graph_s_190_and_changes_nothing()
    {
        (await TemplateScenario.CreateAsync(_owner, _sandbox, "order_ready", "UTILITY", Ct)).EnsureSuccessStatusCode();
        var rival = await _api.SignUpAsync("Rival Rolls", "owner@rival.example");
        var rivalSandbox = await TemplateScenario.SandboxAsync(rival, Ct);
        var waba = await _db.ScalarAsync<string>("SELECT waba_id FROM whats_app_connections WHERE id = $1", _sandbox);
        var client = _api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await TokenOfAsync(rivalSandbox));
        var path = $"/simulator/v23.0/{waba}/message_templates";

        using var list = await client.GetAsync(path, Ct);
        using var create = await client.PostAsJsonAsync(path, new { name = "planted", language = "en_US", category = "UTILITY", components = new[] { new { type = "BODY", text = "Hi." } } }, Ct);
        using var delete = await client.DeleteAsync($"{path}?name=order_ready", Ct);

        foreach (var response in new[] { list, create, delete })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal(190, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetProperty("code").GetInt32());
        }

        Assert.Equal(["order_ready"], (await _db.RowsAsync("SELECT name FROM sandbox_templates")).Select(r => (string)r[0]!));
    }

    [Fact]
    public async Task A_cursor_that_is_not_one_of_the_list_s_is_refused_like_Graph_rather_than_read_as_the_first_page()
    {
        var waba = await _db.ScalarAsync<string>("SELECT waba_id FROM whats_app_connections WHERE id = $1", _sandbox);
        var client = _api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await TokenOfAsync(_sandbox));

        using var response = await client.GetAsync($"/simulator/v23.0/{waba}/message_templates?after=not-a-cursor", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(100, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetProperty("code").GetInt32());
    }

    private async Task<string> TokenOfAsync(Guid connectionId)
    {
        await using var scope = _api.Services.CreateAsyncScope();
        var connection = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            LeadsPeer.Core.Data.AcrossTenantsExtensions.AcrossTenants(scope.ServiceProvider.GetRequiredService<LeadsPeer.Core.Data.LeadsPeerDbContext>().WhatsAppConnections),
            c => c.Id == connectionId, Ct);
        return LeadsPeer.Core.WhatsApp.ConnectionTokens.AccessTokenOf(scope.ServiceProvider.GetRequiredService<LeadsPeer.Core.Security.TokenProtector>(), connection);
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();
}
