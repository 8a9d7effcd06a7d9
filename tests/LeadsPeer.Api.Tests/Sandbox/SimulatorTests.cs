using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.Sandbox;

/// <summary>The Meta simulator behind sandbox numbers: Graph's send endpoint, status webhooks back, and the customer's side.</summary>
public sealed class SimulatorTests(TestStores stores) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private Db _db = null!;
    private HttpClient _owner = null!;
    private JsonElement _sandbox;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private Guid SandboxId => _sandbox.GetProperty("id").GetGuid();

    private string PhoneNumberId => _sandbox.GetProperty("phoneNumberId").GetString()!;

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        _db = new Db(_api.DatabaseConnectionString);
        _owner = await _api.SignUpAsync("Kestrel Kites", "owner@kestrel.example");
        using var response = await _owner.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        _sandbox = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    [Fact]
    public async Task A_simulated_customer_message_arrives_through_the_signed_webhook_path()
    {
        using var response = await _owner.PostAsJsonAsync($"/api/sandbox/connections/{SandboxId}/customer-messages",
            new { text = "Do you sell red kites?", name = "Robin" }, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var sent = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var wamid = sent.GetProperty("waMessageId").GetString()!;
        var row = Assert.Single(await _db.RowsAsync(
            "SELECT m.direction, m.text, k.wa_id, k.profile_name FROM messages m JOIN conversations v ON v.id = m.conversation_id JOIN contacts k ON k.id = v.contact_id WHERE m.wa_message_id = $1", wamid));
        Assert.Equal(["Inbound", "Do you sell red kites?", "15550000001", "Robin"], row);
        Assert.Equal(1, await _db.CountAsync("work_items", "kind = 'Reply'"));
        // It came in over HTTP like Meta's: the webhook handler logged its own work, not a database shortcut.
        Assert.Contains(_api.Logs.Lines, l => l.Contains("/webhooks/whatsapp"));
    }

    [Fact]
    public async Task The_simulator_answers_sends_like_Graph_keeps_them_for_the_customer_and_reports_sent_delivered_read()
    {
        using var meta = _api.CreateClient();
        meta.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await _api.SandboxTokenAsync(SandboxId));

        using var send = await meta.PostAsJsonAsync($"/simulator/v23.0/{PhoneNumberId}/messages", new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["recipient_type"] = "individual",
            ["to"] = "15550000001",
            ["type"] = "text",
            ["text"] = new JsonObject { ["preview_url"] = false, ["body"] = "Yes, in three sizes." },
        }, Ct);

        Assert.Equal(HttpStatusCode.OK, send.StatusCode);
        var answer = await send.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var wamid = answer.GetProperty("messages")[0].GetProperty("id").GetString()!;
        Assert.StartsWith("wamid.", wamid);
        Assert.Equal("15550000001", answer.GetProperty("contacts")[0].GetProperty("wa_id").GetString());

        var inbox = await _owner.GetFromJsonAsync<JsonElement>($"/api/sandbox/connections/{SandboxId}/customer-inbox", Ct);
        Assert.Equal("Yes, in three sizes.", Assert.Single(inbox.EnumerateArray()).GetProperty("text").GetString());

        // Status webhooks come back signed through the real endpoint; no message has this wamid, so they are parked.
        await Eventually.TrueAsync(async () => await _db.CountAsync("parked_statuses", "wa_message_id = $1", wamid) == 1, "the early status is parked", TimeSpan.FromSeconds(10));
        _api.Clock.Advance(TimeSpan.FromSeconds(2));
        await Eventually.TrueAsync(async () => await _db.CountAsync("parked_statuses", "wa_message_id = $1", wamid) == 3, "all three statuses are parked", TimeSpan.FromSeconds(10));
        // Meta's timestamps are whole seconds: two statuses can share one, so their order is read from the times, not the rows.
        var statuses = (await _db.RowsAsync("SELECT status, occurred_at FROM parked_statuses WHERE wa_message_id = $1", wamid))
            .ToDictionary(r => (string)r[0]!, r => (DateTime)r[1]!);
        Assert.Equal(["Delivered", "Read", "Sent"], statuses.Keys.Order());
        Assert.True(statuses["Sent"] <= statuses["Delivered"] && statuses["Delivered"] <= statuses["Read"], string.Join(", ", statuses));
    }

    [Fact]
    public async Task The_simulator_refuses_a_wrong_token_with_Graphs_190_and_an_unknown_number_with_100()
    {
        using var meta = _api.CreateClient();
        meta.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "SANDBOX-not-the-token");
        var body = new JsonObject { ["messaging_product"] = "whatsapp", ["to"] = "15550000001", ["type"] = "text", ["text"] = new JsonObject { ["body"] = "hi" } };

        using var wrongToken = await meta.PostAsJsonAsync($"/simulator/v23.0/{PhoneNumberId}/messages", body, Ct);
        using var unknown = await meta.PostAsJsonAsync("/simulator/v23.0/sandbox-000000000/messages", body, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, wrongToken.StatusCode);
        Assert.Equal(190, (await wrongToken.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(100, (await unknown.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(0, await _db.CountAsync("sandbox_messages"));
    }

    [Fact]
    public async Task Another_organisation_cannot_write_as_a_customer_to_this_sandbox_nor_read_its_inbox()
    {
        using var stranger = await _api.SignUpAsync("Lark Lamps", "owner@lark.example");

        using var write = await stranger.PostAsJsonAsync($"/api/sandbox/connections/{SandboxId}/customer-messages", new { text = "hi" }, Ct);
        using var read = await stranger.GetAsync($"/api/sandbox/connections/{SandboxId}/customer-inbox", Ct);

        Assert.Equal(HttpStatusCode.NotFound, write.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(0, await _db.CountAsync("messages"));
    }

    [Fact]
    public async Task A_customer_message_without_text_is_refused_with_a_problem()
    {
        using var response = await _owner.PostAsJsonAsync($"/api/sandbox/connections/{SandboxId}/customer-messages", new { text = " " }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("text", await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(0, await _db.CountAsync("messages"));
    }


    public async ValueTask DisposeAsync()
    {
        _owner.Dispose();
        await _api.DisposeAsync();
    }
}
