using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.Templates;

/// <summary>
/// A real number's templates against a Graph stub speaking Meta's wire format: the sync follows
/// Meta's cursors over every page with the number's token, a create posts Meta's shape, Meta's
/// signed status webhook approves it, and a token Meta rejects flags the number.
/// </summary>
public sealed class MetaTemplateTests(TestStores stores) : IAsyncLifetime
{
    private const string Token = "EAAG-stub-business-token-templates";
    private const string Waba = "waba-templates";
    private GraphApiStub _graph = null!;
    private ApiFactory _api = null!;
    private Db _db = null!;
    private HttpClient _owner = null!;
    private Guid _connection;
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
        _db = new Db(_api.DatabaseConnectionString);
        _owner = await _api.SignUpAsync("November Nails", "owner@november.example");
        _graph.TargetIds.Add(Waba);
        _graph.PhoneNumbers[Waba] = [("pn-templates", "+1 555 0100", "November Nails")];
        using var start = await _owner.PostAsync("/api/whatsapp/connections/embedded-signup/start", null, Ct);
        var state = (await start.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("state").GetString();
        using var connected = await _owner.PostAsJsonAsync("/api/whatsapp/connections/embedded-signup",
            new { code = _graph.IssueCode(Token), wabaId = Waba, phoneNumberId = "pn-templates", state }, Ct);
        connected.EnsureSuccessStatusCode();
        _connection = (await connected.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task Sync_follows_Meta_s_cursors_over_every_page()
    {
        _graph.Templates[Waba] = [.. Enumerable.Range(1, 230).Select(i => new JsonObject
        {
            ["id"] = (5000 + i).ToString(), ["name"] = $"notice_{i}", ["language"] = "en_US", ["status"] = i == 7 ? "REJECTED" : "APPROVED",
            ["category"] = "UTILITY", ["parameter_format"] = "POSITIONAL", ["rejected_reason"] = i == 7 ? "ABUSIVE_CONTENT" : "NONE",
            ["quality_score"] = new JsonObject { ["score"] = "GREEN" },
            ["components"] = new JsonArray(new JsonObject { ["type"] = "BODY", ["text"] = $"Notice {i} for {{{{1}}}} today." }),
        })];

        using var synced = await _owner.PostAsync($"/api/whatsapp/connections/{_connection}/templates/sync", null, Ct);

        Assert.Equal(HttpStatusCode.OK, synced.StatusCode);
        Assert.Equal(3, _graph.Calls.Count(c => c.StartsWith($"templates:{Waba}:")));
        Assert.Empty(_graph.RefusedTokens);
        Assert.Equal(230, await _db.CountAsync("message_templates"));
        var rejected = (await _db.RowsAsync("SELECT status, status_reason FROM message_templates WHERE name = 'notice_7'")).Single();
        Assert.Equal(["Rejected", "ABUSIVE_CONTENT"], rejected);
        var view = (await synced.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray().First(t => t.GetProperty("name").GetString() == "notice_12");
        Assert.Equal(["1"], view.GetProperty("parameters").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task A_create_posts_Meta_s_shape_and_Meta_s_signed_status_webhook_approves_it()
    {
        using var created = await TemplateScenario.CreateAsync(_owner, _connection, "order_ready", "UTILITY", Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = Assert.Single(_graph.CreatedTemplates);
        Assert.Equal(("order_ready", "en_US", "UTILITY", "POSITIONAL"),
            (body["name"]!.GetValue<string>(), body["language"]!.GetValue<string>(), body["category"]!.GetValue<string>(), body["parameter_format"]!.GetValue<string>()));
        Assert.Equal(["HEADER", "BODY", "FOOTER", "BUTTONS"], body["components"]!.AsArray().Select(c => c!["type"]!.GetValue<string>()));
        var metaId = await _db.ScalarAsync<string>("SELECT meta_id FROM message_templates");

        var webhook = MetaPayloads.Entries(new JsonObject
        {
            ["id"] = Waba,
            ["changes"] = new JsonArray(new JsonObject
            {
                ["field"] = "message_template_status_update",
                ["value"] = new JsonObject
                {
                    ["event"] = "APPROVED", ["message_template_id"] = long.Parse(metaId), ["message_template_name"] = "order_ready",
                    ["message_template_language"] = "en_US", ["reason"] = "NONE",
                },
            }),
        });
        using var unsigned = await _api.CreateClient().PostAsync("/webhooks/whatsapp", MetaPayloads.Signed(webhook, "not-the-app-secret"), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal("Pending", await _db.ScalarAsync<string>("SELECT status FROM message_templates"));

        using var signed = await _api.CreateClient().PostAsync("/webhooks/whatsapp", MetaPayloads.Signed(webhook, GraphApiStub.AppSecret), Ct);

        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.Equal("Approved", await _db.ScalarAsync<string>("SELECT status FROM message_templates"));
    }

    [Fact]
    public async Task A_token_Meta_rejects_flags_the_number_and_the_sync_says_so()
    {
        _graph.TemplateFailure = (401, 190);

        using var synced = await _owner.PostAsync($"/api/whatsapp/connections/{_connection}/templates/sync", null, Ct);

        Assert.Equal(HttpStatusCode.Conflict, synced.StatusCode);
        Assert.Equal("NeedsReauthorization", await _db.ScalarAsync<string>("SELECT status FROM whats_app_connections"));
        Assert.Equal(0, await _db.CountAsync("message_templates"));
    }

    [Fact]
    public async Task Meta_refusing_a_template_is_shown_with_Meta_s_words_and_nothing_is_kept()
    {
        _graph.TemplateFailure = (400, 100);

        using var created = await TemplateScenario.CreateAsync(_owner, _connection, "order_ready", "UTILITY", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        Assert.Contains("Meta refused it: Stubbed Graph error 100",
            (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").GetProperty("template")[0].GetString());
        Assert.Equal(0, await _db.CountAsync("message_templates"));
    }

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        await _graph.DisposeAsync();
    }
}
