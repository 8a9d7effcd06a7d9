using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadsPeer.Core;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Tenancy;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Core.WhatsApp.Templates;
using LeadsPeer.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsPeer.Api.Tests.Templates;

/// <summary>
/// Sending a template to a conversation: outside the window, with its values checked before Meta
/// sees them, the operator taking the conversation first (a resolved one without it waiting), and
/// who may receive it decided by one rule — opted-out customers get none, the product's own
/// updates go only as UTILITY. A refused send stores nothing and moves nothing.
/// </summary>
public sealed class TemplateSendTests(TestStores stores) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private Db _db = null!;
    private HttpClient _owner = null!;
    private Guid _sandbox;
    private Guid _conversation;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        _api.GraphInProcess = true;
        _db = new Db(_api.DatabaseConnectionString);
        _owner = await _api.SignUpAsync("Garden Bakes", "owner@garden.example");
        _sandbox = await TemplateScenario.SandboxAsync(_owner, Ct);
        await TemplateScenario.ApprovedAsync(_api, _owner, _sandbox, "order_ready", "UTILITY", Ct);
        await TemplateScenario.ApprovedAsync(_api, _owner, _sandbox, "spring_sale", "MARKETING", Ct);
        await CustomerWritesAsync("Is my cake done?");
        _conversation = await _db.ScalarAsync<Guid>("SELECT id FROM conversations");
    }

    private static object OrderReady(Dictionary<string, string>? parameters = null) => new
    {
        template = new { name = "order_ready", parameters = parameters ?? new Dictionary<string, string> { ["1"] = "Sam", ["2"] = "GB-1042" } },
    };

    [Fact]
    public async Task After_the_window_closed_a_resolved_conversation_gets_the_template_and_the_operator_takes_it_without_it_waiting()
    {
        (await _owner.PostAsync($"/api/conversations/{_conversation}/claim", null, Ct)).EnsureSuccessStatusCode();
        (await _owner.PostAsync($"/api/conversations/{_conversation}/resolve", null, Ct)).EnsureSuccessStatusCode();
        await CloseWindowAsync();
        using var text = await _owner.PostAsJsonAsync($"/api/conversations/{_conversation}/messages", new { text = "Your cake is ready" }, Ct);

        using var sent = await _owner.PostAsJsonAsync($"/api/conversations/{_conversation}/messages", OrderReady(), Ct);

        Assert.Equal(HttpStatusCode.Conflict, text.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var view = await sent.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("template", view.GetProperty("type").GetString());
        Assert.Equal("Garden Bakes\n\nHi Sam, your order GB-1042 is ready for pickup.\n\nReply STOP to opt out", view.GetProperty("text").GetString());
        var payload = JsonNode.Parse(await _db.ScalarAsync<string>("SELECT payload::text FROM messages WHERE type = 'template'"))!["template"]!;
        Assert.Equal(("order_ready", "en_US"), (payload["name"]!.GetValue<string>(), payload["language"]!["code"]!.GetValue<string>()));
        Assert.Equal(["Sam", "GB-1042"], payload["components"]![0]!["parameters"]!.AsArray().Select(p => p!["text"]!.GetValue<string>()));
        var state = (await _db.RowsAsync("SELECT state, assigned_user_id IS NOT NULL, waiting_since, window_expires_at < now() FROM conversations")).Single();
        Assert.Equal(["Human", true, null, true], state);
        Assert.Equal(1, await _db.CountAsync("audit_entries", "action = 'conversation.reach-out'"));
        Assert.Equal(1, await _db.CountAsync("work_items", "kind = 'Send'"));
    }

    [Theory]
    [InlineData("""{"1":"Sam"}""", "parameters.2", "needs a value")]
    [InlineData("""{"1":"Sam","2":"GB-1","3":"extra"}""", "parameters.3", "no variable")]
    [InlineData("""{"1":"Sam\nSmith","2":"GB-1"}""", "parameters.1", "line breaks")]
    [InlineData("""{"1":" ","2":"GB-1"}""", "parameters.1", "cannot be empty")]
    public async Task Values_that_do_not_fit_the_template_are_refused_before_Meta_and_nothing_moves(string parameters, string field, string words)
    {
        using var response = await _owner.PostAsync($"/api/conversations/{_conversation}/messages",
            new StringContent($$$"""{"template":{"name":"order_ready","parameters":{{{parameters}}}}}""", System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains(words, Assert.Single(problem.GetProperty("errors").GetProperty(field).EnumerateArray()).GetString());
        await NothingSentAsync("Ai");
    }

    [Fact]
    public async Task An_unknown_template_a_pending_one_and_a_text_beside_a_template_are_refused()
    {
        (await TemplateScenario.CreateAsync(_owner, _sandbox, "not_yet", "UTILITY", Ct)).EnsureSuccessStatusCode();

        using var unknown = await _owner.PostAsJsonAsync($"/api/conversations/{_conversation}/messages", new { template = new { name = "no_such" } }, Ct);
        using var pending = await _owner.PostAsJsonAsync($"/api/conversations/{_conversation}/messages",
            new { template = new { name = "not_yet", parameters = new Dictionary<string, string> { ["1"] = "a", ["2"] = "b" } } }, Ct);
        using var both = await _owner.PostAsJsonAsync($"/api/conversations/{_conversation}/messages",
            new { text = "hi", template = new { name = "order_ready" } }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("no template 'no_such'", (await unknown.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").GetProperty("template.name")[0].GetString());
        Assert.Equal(HttpStatusCode.Conflict, pending.StatusCode);
        Assert.Contains("is PENDING", (await pending.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        await NothingSentAsync("Ai");
    }

    [Fact]
    public async Task A_customer_who_wrote_STOP_gets_no_template_of_any_category_until_they_write_START()
    {
        await CustomerWritesAsync("STOP");
        await Eventually.TrueAsync(async () => await _db.CountAsync("contacts", "opted_out_at IS NOT NULL") == 1, "opted out");

        using var utility = await _owner.PostAsJsonAsync($"/api/conversations/{_conversation}/messages", OrderReady(), Ct);
        using var marketing = await _owner.PostAsJsonAsync($"/api/conversations/{_conversation}/messages",
            new { template = new { name = "spring_sale", parameters = new Dictionary<string, string> { ["1"] = "Sam", ["2"] = "GB-1" } } }, Ct);

        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict), (utility.StatusCode, marketing.StatusCode));
        Assert.Equal(TemplatePolicy.OptedOut, (await utility.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("title").GetString());
        await NothingSentAsync("Ai");

        await CustomerWritesAsync("START");
        await Eventually.TrueAsync(async () => await _db.CountAsync("contacts", "opted_out_at IS NULL") == 1, "opted back in");
        using var again = await _owner.PostAsJsonAsync($"/api/conversations/{_conversation}/messages", OrderReady(), Ct);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
    }

    [Fact]
    public async Task A_conversation_another_operator_holds_is_not_taken_by_sending_a_template()
    {
        var olive = await TemplateScenario.OperatorAsync(_api, _owner, "olive@garden.example", Ct);
        (await olive.PostAsync($"/api/conversations/{_conversation}/claim", null, Ct)).EnsureSuccessStatusCode();

        using var response = await _owner.PostAsJsonAsync($"/api/conversations/{_conversation}/messages", OrderReady(), Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("Human", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("state").GetString());
        Assert.Equal(0, await _db.CountAsync("messages", "direction = 'Outbound'"));
    }

    [Fact]
    public async Task The_product_s_own_updates_go_as_UTILITY_templates_without_a_claim_and_never_as_MARKETING()
    {
        await CloseWindowAsync();

        var utility = await SystemSendsAsync("order_ready");
        var marketing = await SystemSendsAsync("spring_sale");

        Assert.True(utility.Succeeded, utility.Error?.Title);
        Assert.Equal(MessageAuthor.System, utility.Value!.Author);
        Assert.False(marketing.Succeeded);
        Assert.Contains("only as UTILITY", marketing.Error!.Title);
        Assert.Equal("Ai", await _db.ScalarAsync<string>("SELECT state FROM conversations"));
        Assert.Equal(1, await _db.CountAsync("messages", "direction = 'Outbound'"));

        // Meta re-categorised it: the category last synced is the one checked.
        await _db.ExecuteAsync("UPDATE message_templates SET category = 'Marketing' WHERE name = 'order_ready'");
        Assert.False((await SystemSendsAsync("order_ready")).Succeeded);
    }

    [Fact]
    public async Task The_simulator_refuses_like_Graph_an_unknown_template_132001_and_a_parameter_mismatch_132000()
    {
        var client = _api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await _api.SandboxTokenAsync(_sandbox));
        var phoneNumberId = await _db.ScalarAsync<string>("SELECT phone_number_id FROM whats_app_connections");
        Task<HttpResponseMessage> SendAsync(JsonObject template) => client.PostAsJsonAsync($"/simulator/v23.0/{phoneNumberId}/messages",
            new JsonObject { ["messaging_product"] = "whatsapp", ["to"] = "15550000001", ["type"] = "template", ["template"] = template }, Ct);

        using var unknown = await SendAsync(new JsonObject { ["name"] = "no_such", ["language"] = new JsonObject { ["code"] = "en_US" } });
        using var mismatch = await SendAsync(new JsonObject
        {
            ["name"] = "order_ready", ["language"] = new JsonObject { ["code"] = "en_US" },
            ["components"] = new JsonArray(new JsonObject { ["type"] = "body", ["parameters"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "Sam" }) }),
        });

        Assert.Equal(132001, (await unknown.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(132000, (await mismatch.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(0, await _db.CountAsync("sandbox_messages"));
    }

    [Fact]
    public async Task The_composer_is_offered_only_the_approved_templates_of_the_conversation_s_number()
    {
        // Another organisation's approved template, on its own sandbox number.
        var rival = await _api.SignUpAsync("Rival Rolls", "owner@rival.example");
        await TemplateScenario.ApprovedAsync(_api, rival, await TemplateScenario.SandboxAsync(rival, Ct), "rival_offer", "MARKETING", Ct);
        // One still in review (the simulated review waits for the test's clock), one for one-time codes.
        (await TemplateScenario.CreateAsync(_owner, _sandbox, "not_yet", "UTILITY", Ct)).EnsureSuccessStatusCode();
        await _db.ExecuteAsync("""
            INSERT INTO message_templates (id, tenant_id, connection_id, name, language, category, status, parameter_format, components, created_at, updated_at)
            SELECT gen_random_uuid(), tenant_id, connection_id, 'login_code', 'en_US', 'Authentication', 'Approved', 'Positional', '[]', now(), now() FROM conversations
            """);

        await using var scope = _api.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(await _db.ScalarAsync<Guid>("SELECT tenant_id FROM conversations LIMIT 1"));
        var offered = await scope.ServiceProvider.GetRequiredService<TemplateCatalog>().ApprovedForConversationAsync(_conversation, Ct);

        Assert.Equal(["order_ready", "spring_sale"], offered.Select(t => t.Name));
    }

    [Fact]
    public async Task The_simulator_renders_a_template_for_the_customer_and_a_tap_on_its_quick_reply_comes_back_linked_to_it()
    {
        var client = _api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await _api.SandboxTokenAsync(_sandbox));
        var phoneNumberId = await _db.ScalarAsync<string>("SELECT phone_number_id FROM whats_app_connections");
        var prepared = TemplateSending.Prepare(await StoredAsync("order_ready"),
            new TemplateMessage("order_ready", Parameters: new Dictionary<string, string> { ["1"] = "Sam", ["2"] = "GB-1042" }, Buttons: ["coming-42"])).Prepared!;
        var body = prepared.Payload;
        body["messaging_product"] = "whatsapp";
        body["to"] = "15550000001";

        using var sent = await client.PostAsJsonAsync($"/simulator/v23.0/{phoneNumberId}/messages", body, Ct);
        sent.EnsureSuccessStatusCode();
        var wamid = (await sent.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("messages")[0].GetProperty("id").GetString();

        var inbox = await _owner.GetFromJsonAsync<JsonElement>($"/api/sandbox/connections/{_sandbox}/customer-inbox", Ct);
        var shown = inbox.EnumerateArray().Single();
        Assert.Equal(prepared.Text, shown.GetProperty("text").GetString());
        Assert.Equal("order_ready", shown.GetProperty("template").GetProperty("name").GetString());
        Assert.Equal([("coming-42", "On my way")], shown.GetProperty("choices").EnumerateArray().Select(c => (c.GetProperty("id").GetString(), c.GetProperty("title").GetString())));

        (await _owner.PostAsJsonAsync($"/api/sandbox/connections/{_sandbox}/customer-messages", new { replyId = "coming-42" }, Ct)).EnsureSuccessStatusCode();

        var tap = JsonNode.Parse(await _db.ScalarAsync<string>("SELECT payload::text FROM messages WHERE type = 'button'"))!;
        Assert.Equal((wamid, "coming-42", "On my way"), (tap["context"]!["id"]!.GetValue<string>(), tap["button"]!["payload"]!.GetValue<string>(), tap["button"]!["text"]!.GetValue<string>()));
    }

    private async Task<MessageTemplate> StoredAsync(string name)
    {
        await using var scope = _api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LeadsPeerDbContext>().MessageTemplates.AcrossTenants().AsNoTracking().SingleAsync(t => t.Name == name, Ct);
    }

    private async Task<Outcome<Message?>> SystemSendsAsync(string template)
    {
        await using var scope = _api.Services.CreateAsyncScope();
        var tenant = await _db.ScalarAsync<Guid>("SELECT tenant_id FROM conversations");
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenant);
        var conversation = await scope.ServiceProvider.GetRequiredService<LeadsPeerDbContext>().Conversations.AsNoTracking().SingleAsync(Ct);
        return await scope.ServiceProvider.GetRequiredService<Outbox>().EnqueueTemplateAsync(conversation,
            new TemplateMessage(template, Parameters: new Dictionary<string, string> { ["1"] = "Sam", ["2"] = "GB-1042" }),
            TemplateSender.System, MessageAuthor.System, authorUserId: null, askedBy: null, Ct);
    }


    private async Task CustomerWritesAsync(string text) =>
        (await _owner.PostAsJsonAsync($"/api/sandbox/connections/{_sandbox}/customer-messages", new { text }, Ct)).EnsureSuccessStatusCode();

    private Task CloseWindowAsync() => _db.ExecuteAsync("UPDATE conversations SET window_expires_at = now() - interval '1 hour'");

    private async Task NothingSentAsync(string state)
    {
        Assert.Equal(0, await _db.CountAsync("messages", "direction = 'Outbound'"));
        Assert.Equal(0, await _db.CountAsync("work_items", "kind = 'Send'"));
        Assert.Equal(state, await _db.ScalarAsync<string>("SELECT state FROM conversations"));
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();
}
