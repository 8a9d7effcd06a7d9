using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.Conversations;

/// <summary>
/// Reply buttons, lists and link buttons through the REST API: every limit refused by name with
/// nothing stored, Meta's JSON stored for the sender, and a customer's tap linked to the message it
/// answers — by its context, not by recency.
/// </summary>
public sealed class InteractiveTests(TestStores stores) : IAsyncLifetime
{
    private const string Customer = "15550000001";
    private ApiFactory _api = null!;
    private Db _db = null!;
    private HttpClient _owner = null!;
    private Guid _sandbox;
    private Guid _conversation;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        _db = new Db(_api.DatabaseConnectionString);
        _owner = await _api.SignUpAsync("Garden Bakes", "owner@garden.example");
        using var sandbox = await _owner.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        _sandbox = (await sandbox.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        (await _owner.PostAsJsonAsync($"/api/sandbox/connections/{_sandbox}/customer-messages", new { text = "Which cakes do you have?" }, Ct)).EnsureSuccessStatusCode();
        _conversation = await _db.ScalarAsync<Guid>("SELECT id FROM conversations");
        (await _owner.PostAsync($"/api/conversations/{_conversation}/claim", null, Ct)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Reply_buttons_are_stored_as_Meta_takes_them_and_shown_with_their_choices()
    {
        using var response = await ReplyAsync(new
        {
            type = "button", header = "Cakes", body = "Which size?", footer = "Prices include delivery",
            buttons = new[] { new { id = "fudge-1kg", title = "Fudge 1 kg" }, new { id = "fudge-2kg", title = "Fudge 2 kg" } },
        });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var view = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("interactive", view.GetProperty("type").GetString());
        Assert.Equal("Which size?", view.GetProperty("text").GetString());
        Assert.Equal(["fudge-1kg", "fudge-2kg"], view.GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        var payload = JsonNode.Parse(await _db.ScalarAsync<string>("SELECT payload::text FROM messages WHERE direction = 'Outbound'"))!;
        Assert.Equal("interactive", payload["type"]!.GetValue<string>());
        Assert.Equal("button", payload["interactive"]!["type"]!.GetValue<string>());
        Assert.Equal("Cakes", payload["interactive"]!["header"]!["text"]!.GetValue<string>());
        Assert.Equal("Prices include delivery", payload["interactive"]!["footer"]!["text"]!.GetValue<string>());
        var second = payload["interactive"]!["action"]!["buttons"]![1]!;
        Assert.Equal(("reply", "fudge-2kg", "Fudge 2 kg"),
            (second["type"]!.GetValue<string>(), second["reply"]!["id"]!.GetValue<string>(), second["reply"]!["title"]!.GetValue<string>()));
        Assert.Equal(1, await _db.CountAsync("work_items", "kind = 'Send'"));
    }

    [Fact]
    public async Task A_list_and_a_link_button_are_accepted_in_Meta_shape()
    {
        using var list = await ReplyAsync(new
        {
            type = "list", body = "Pick a cake", button = "Cakes",
            sections = new[]
            {
                new { title = "Chocolate", rows = new[] { new { id = "fudge", title = "Fudge", description = (string?)"Dark chocolate, 1 kg" } } },
                new { title = "Fruit", rows = new[] { new { id = "lemon", title = "Lemon drizzle", description = (string?)null } } },
            },
        });
        using var link = await ReplyAsync(new { type = "cta_url", body = "Our full menu", displayText = "Open the menu", url = "https://garden.example/menu" });

        Assert.Equal(HttpStatusCode.Accepted, list.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, link.StatusCode);
        var payloads = (await _db.RowsAsync("SELECT payload::text FROM messages WHERE direction = 'Outbound' ORDER BY created_at"))
            .Select(r => JsonNode.Parse((string)r[0]!)!["interactive"]!).ToList();
        Assert.Equal("Cakes", payloads[0]["action"]!["button"]!.GetValue<string>());
        Assert.Equal("lemon", payloads[0]["action"]!["sections"]![1]!["rows"]![0]!["id"]!.GetValue<string>());
        Assert.Null(payloads[0]["action"]!["sections"]![1]!["rows"]![0]!["description"]);
        Assert.Equal(("cta_url", "https://garden.example/menu"),
            (payloads[1]["action"]!["name"]!.GetValue<string>(), payloads[1]["action"]!["parameters"]!["url"]!.GetValue<string>()));
    }

    public static TheoryData<string, string, string> Broken => new()
    {
        { """{"type":"button","body":"Size?","buttons":[]}""", "interactive.buttons", "1 to 3" },
        { """{"type":"button","body":"Size?","buttons":[{"id":"a","title":"A"},{"id":"b","title":"B"},{"id":"c","title":"C"},{"id":"d","title":"D"}]}""", "interactive.buttons", "this message has 4" },
        { """{"type":"button","body":"Size?","buttons":[{"id":"a","title":"A title that is far too long"}]}""", "interactive.buttons[0].title", "at most 20" },
        { $$"""{"type":"button","body":"Size?","buttons":[{"id":"{{new string('x', 257)}}","title":"A"}]}""", "interactive.buttons[0].id", "at most 256" },
        { """{"type":"button","body":"Size?","buttons":[{"id":"a","title":"A"},{"id":"a","title":"B"}]}""", "interactive.buttons", "used twice" },
        { $$"""{"type":"button","body":"{{new string('b', 1025)}}","buttons":[{"id":"a","title":"A"}]}""", "interactive.body", "at most 1024" },
        { """{"type":"button","buttons":[{"id":"a","title":"A"}]}""", "interactive.body", "required" },
        { $$"""{"type":"button","header":"{{new string('h', 61)}}","body":"Size?","buttons":[{"id":"a","title":"A"}]}""", "interactive.header", "at most 60" },
        { $$"""{"type":"button","footer":"{{new string('f', 61)}}","body":"Size?","buttons":[{"id":"a","title":"A"}]}""", "interactive.footer", "at most 60" },
        { """{"type":"list","body":"Pick","button":"A list button too long","sections":[{"rows":[{"id":"a","title":"A"}]}]}""", "interactive.button", "at most 20" },
        { """{"type":"list","body":"Pick","button":"Cakes","sections":[{"title":"One","rows":[{"id":"a","title":"A"}]},{"rows":[{"id":"b","title":"B"}]}]}""", "interactive.sections[1].title", "several sections" },
        { """{"type":"list","body":"Pick","button":"Cakes","sections":[{"rows":[{"id":"a","title":"A row title over 24 chars"}]}]}""", "interactive.sections[0].rows[0].title", "at most 24" },
        { $$"""{"type":"list","body":"Pick","button":"Cakes","sections":[{"rows":[{"id":"a","title":"A","description":"{{new string('d', 73)}}"}]}]}""", "interactive.sections[0].rows[0].description", "at most 72" },
        { $$"""{"type":"list","body":"Pick","button":"Cakes","sections":[{"rows":[{"id":"{{new string('r', 201)}}","title":"A"}]}]}""", "interactive.sections[0].rows[0].id", "at most 200" },
        { $$"""{"type":"list","body":"Pick","button":"Cakes","sections":[{"rows":[{{string.Join(",", Enumerable.Range(0, 11).Select(i => $$"""{"id":"r{{i}}","title":"Row {{i}}"}"""))}}]}]}""", "interactive.sections.rows", "this one has 11" },
        { """{"type":"cta_url","body":"Menu","displayText":"A link text that is too long","url":"https://x.example"}""", "interactive.displayText", "at most 20" },
        { """{"type":"cta_url","body":"Menu","displayText":"Menu","url":"http://x.example"}""", "interactive.url", "https://" },
        { """{"type":"carousel","body":"Menu"}""", "interactive.type", "\"button\"" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public async Task Each_limit_is_refused_naming_its_field_and_nothing_is_stored(string interactive, string field, string words)
    {
        using var response = await _owner.PostAsync($"/api/conversations/{_conversation}/messages",
            new StringContent($$"""{"interactive":{{interactive}}}""", System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var message = Assert.Single(problem.GetProperty("errors").GetProperty(field).EnumerateArray()).GetString();
        Assert.Contains(words, message);
        Assert.Equal(0, await _db.CountAsync("messages", "direction = 'Outbound'"));
        Assert.Equal(0, await _db.CountAsync("work_items", "kind = 'Send'"));
    }

    [Fact]
    public async Task Text_and_interactive_together_are_refused()
    {
        using var response = await _owner.PostAsJsonAsync($"/api/conversations/{_conversation}/messages",
            new { text = "Hi", interactive = new { type = "button", body = "Size?", buttons = new[] { new { id = "a", title = "A" } } } }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await _db.CountAsync("messages", "direction = 'Outbound'"));
    }

    [Fact]
    public async Task A_tap_on_an_older_message_is_linked_to_that_message_not_to_the_latest()
    {
        var older = await SentButtonsAsync("Which size?", "fudge-1kg", "Fudge 1 kg");
        var newer = await SentButtonsAsync("Delivery or pickup?", "pickup", "Pickup");
        var phoneNumberId = await _db.ScalarAsync<string>("SELECT phone_number_id FROM whats_app_connections");
        using var meta = _api.CreateClient();

        var tap = MetaPayloads.Message(phoneNumberId, Customer, MetaPayloads.NewWamid(), new JsonObject
        {
            ["type"] = "interactive",
            ["interactive"] = new JsonObject { ["type"] = "button_reply", ["button_reply"] = new JsonObject { ["id"] = "fudge-1kg", ["title"] = "Fudge 1 kg" } },
        });
        tap["entry"]![0]!["changes"]![0]!["value"]!["messages"]![0]!["context"] = new JsonObject { ["from"] = "15550783881", ["id"] = older.Wamid };
        (await meta.PostAsync("/webhooks/whatsapp", MetaPayloads.Signed(tap), Ct)).EnsureSuccessStatusCode();

        var thread = await _owner.GetFromJsonAsync<JsonElement>($"/api/conversations/{_conversation}/messages", Ct);
        // Meta's timestamps are whole seconds: the tap may share the buttons' second, so it is found, not assumed first.
        var latest = thread.GetProperty("items").EnumerateArray().Single(m => m.GetProperty("direction").GetString() == "Inbound" && m.GetProperty("type").GetString() == "interactive");
        Assert.Equal("Fudge 1 kg", latest.GetProperty("text").GetString());
        var tapped = latest.GetProperty("tapped");
        Assert.Equal(("fudge-1kg", "Fudge 1 kg", older.Id),
            (tapped.GetProperty("id").GetString(), tapped.GetProperty("title").GetString(), tapped.GetProperty("answersMessageId").GetGuid()));
        Assert.NotEqual(newer.Id, tapped.GetProperty("answersMessageId").GetGuid());
    }

    [Fact]
    public async Task The_sandbox_customer_taps_a_choice_of_the_message_that_offered_it()
    {
        var connection = await _db.ScalarAsync<Guid>("SELECT id FROM whats_app_connections");
        var tenant = await _db.ScalarAsync<Guid>("SELECT tenant_id FROM whats_app_connections");
        // What the simulator received from the sender: two lists, the older one offering "lemon".
        var older = await SimulatorReceivedAsync(tenant, connection, """{"messaging_product":"whatsapp","to":"15550000001","type":"interactive","interactive":{"type":"list","body":{"text":"Pick"},"action":{"button":"Cakes","sections":[{"rows":[{"id":"lemon","title":"Lemon drizzle"}]}]}}}""");
        await SimulatorReceivedAsync(tenant, connection, """{"messaging_product":"whatsapp","to":"15550000001","type":"interactive","interactive":{"type":"button","body":{"text":"Size?"},"action":{"buttons":[{"type":"reply","reply":{"id":"big","title":"Big"}}]}}}""");

        using var tapped = await _owner.PostAsJsonAsync($"/api/sandbox/connections/{_sandbox}/customer-messages", new { replyId = "lemon" }, Ct);
        using var unknown = await _owner.PostAsJsonAsync($"/api/sandbox/connections/{_sandbox}/customer-messages", new { replyId = "carrot" }, Ct);
        using var notOffered = await _owner.PostAsJsonAsync($"/api/sandbox/connections/{_sandbox}/customer-messages", new { replyId = "big", contextId = older }, Ct);
        var inbox = await _owner.GetFromJsonAsync<JsonElement>($"/api/sandbox/connections/{_sandbox}/customer-inbox", Ct);

        Assert.Equal(HttpStatusCode.Accepted, tapped.StatusCode);
        var payload = JsonNode.Parse(await _db.ScalarAsync<string>("SELECT payload::text FROM messages WHERE type = 'interactive' AND direction = 'Inbound'"))!;
        Assert.Equal(older, payload["context"]!["id"]!.GetValue<string>());
        Assert.Equal(("list_reply", "lemon", "Lemon drizzle"),
            (payload["interactive"]!["type"]!.GetValue<string>(), payload["interactive"]!["list_reply"]!["id"]!.GetValue<string>(), payload["interactive"]!["list_reply"]!["title"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notOffered.StatusCode);
        Assert.Equal(1, await _db.CountAsync("messages", "type = 'interactive' AND direction = 'Inbound'"));
        Assert.Equal(["lemon"], inbox[0].GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal("list", inbox[0].GetProperty("interactive").GetProperty("type").GetString());
    }

    private Task<HttpResponseMessage> ReplyAsync(object interactive) =>
        _owner.PostAsJsonAsync($"/api/conversations/{_conversation}/messages", new { interactive }, Ct);

    /// <summary>Reply buttons sent and recorded as Graph accepted them (no Worker runs here: the wamid is set as the sender would).</summary>
    private async Task<(Guid Id, string Wamid)> SentButtonsAsync(string body, string id, string title)
    {
        using var response = await ReplyAsync(new { type = "button", body, buttons = new[] { new { id, title } } });
        var messageId = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        var wamid = MetaPayloads.NewWamid();
        await _db.ExecuteAsync("UPDATE messages SET wa_message_id = $1, status = 'Sent' WHERE id = $2", wamid, messageId);
        return (messageId, wamid);
    }

    private async Task<string> SimulatorReceivedAsync(Guid tenant, Guid connection, string body)
    {
        var wamid = MetaPayloads.NewWamid();
        await _db.ExecuteAsync("""
            INSERT INTO sandbox_messages (id, tenant_id, connection_id, wa_message_id, recipient, type, body, created_at)
            VALUES (gen_random_uuid(), $1, $2, $3, '15550000001', 'interactive', $4::jsonb, clock_timestamp())
            """, tenant, connection, wamid, body);
        return wamid;
    }

    public async ValueTask DisposeAsync()
    {
        _owner.Dispose();
        await _api.DisposeAsync();
    }
}
