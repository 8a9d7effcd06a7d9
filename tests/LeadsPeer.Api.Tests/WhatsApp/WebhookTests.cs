using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.WhatsApp;

/// <summary>Meta's webhook callback: the handshake, signatures, every payload shape, duplicates and bad input.</summary>
public sealed class WebhookTests(TestStores stores) : IAsyncLifetime
{
    private const string Customer = "16505551234";
    private ApiFactory _api = null!;
    private Db _db = null!;
    private HttpClient _meta = null!;
    private string _phoneNumberId = null!;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        _db = new Db(_api.DatabaseConnectionString);
        using var owner = await _api.SignUpAsync("Juniper Juice", "owner@juniper.example");
        _phoneNumberId = await CreateSandboxAsync(owner);
        _meta = _api.CreateClient();
    }

    [Theory]
    [InlineData("subscribe", MetaPayloads.VerifyToken, HttpStatusCode.OK)]
    [InlineData("subscribe", "not-the-token", HttpStatusCode.Forbidden)]
    [InlineData("unsubscribe", MetaPayloads.VerifyToken, HttpStatusCode.Forbidden)]
    public async Task The_verification_handshake_echoes_the_challenge_only_for_the_verify_token(string mode, string token, HttpStatusCode expected)
    {
        using var response = await _meta.GetAsync($"/webhooks/whatsapp?hub.mode={mode}&hub.challenge=1158201444&hub.verify_token={token}", Ct);

        Assert.Equal(expected, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Ct);
        if (expected == HttpStatusCode.OK)
        {
            Assert.Equal("1158201444", body);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        }
        else
        {
            Assert.DoesNotContain("1158201444", body);
        }
    }

    [Fact]
    public async Task Every_inbound_type_is_stored_with_its_own_fields_and_the_words_a_screen_shows()
    {
        var cases = new (string Type, string Json, string? Text, string Field)[]
        {
            ("text", """{"body":"Do you deliver on Sundays?"}""", "Do you deliver on Sundays?", "body"),
            ("interactive", """{"type":"button_reply","button_reply":{"id":"yes-1","title":"Yes please"}}""", "Yes please", "yes-1"),
            ("interactive", """{"type":"list_reply","list_reply":{"id":"row-7","title":"Large","description":"500 ml"}}""", "Large", "500 ml"),
            ("button", """{"payload":"STOP_PROMOS","text":"Stop promotions"}""", "Stop promotions", "STOP_PROMOS"),
            ("image", """{"id":"1479537139650973","mime_type":"image/jpeg","sha256":"abc=","caption":"The broken lid"}""", "The broken lid", "1479537139650973"),
            ("video", """{"id":"vid-1","mime_type":"video/mp4","sha256":"def="}""", null, "video/mp4"),
            ("sticker", """{"id":"stk-1","mime_type":"image/webp","sha256":"ghi=","animated":false}""", null, "image/webp"),
            ("audio", """{"id":"aud-1","mime_type":"audio/ogg; codecs=opus","sha256":"jkl=","voice":true}""", null, "aud-1"),
            ("document", """{"id":"doc-1","filename":"invoice-0042.pdf","mime_type":"application/pdf","sha256":"mno="}""", "invoice-0042.pdf", "application/pdf"),
            ("location", """{"latitude":38.9,"longitude":-77.04,"name":"Main shop","address":"1 Main St"}""", "Main shop, 1 Main St", "38.9"),
            ("contacts", """[{"name":{"formatted_name":"Ada Lovelace","first_name":"Ada"},"phones":[{"phone":"+1 555 0101","type":"CELL"}]}]""", "Ada Lovelace", "+1 555 0101"),
            ("reaction", """{"message_id":"wamid.ABC","emoji":"👍"}""", "👍", "wamid.ABC"),
            ("reaction", """{"message_id":"wamid.DEF"}""", null, "wamid.DEF"),
            ("order", """{"catalog_id":"cat-9","text":"For Saturday","product_items":[{"product_retailer_id":"sku-1","quantity":2,"item_price":9.5,"currency":"USD"}]}""", "For Saturday", "sku-1"),
            ("unsupported", """{"type":"unknown"}""", null, "131051"),
            ("hologram", """{"beam":"blue"}""", null, "blue"),
        };

        foreach (var (type, json, text, field) in cases)
        {
            var wamid = MetaPayloads.NewWamid();
            var message = new JsonObject { ["type"] = type, [type] = JsonNode.Parse(json) };
            if (type == "unsupported")
            {
                message["errors"] = new JsonArray(new JsonObject { ["code"] = 131051, ["title"] = "Message type unknown" });
            }

            using var response = await PostAsync(MetaPayloads.Message(_phoneNumberId, Customer, wamid, message));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            var row = Assert.Single(await _db.RowsAsync("SELECT type, text, payload::text, direction, status, author FROM messages WHERE wa_message_id = $1", wamid));
            Assert.Equal(type, row[0]);
            Assert.Equal(text, row[1]);
            Assert.Contains(field, (string)row[2]!);
            Assert.Equal(["Inbound", "Received", "Customer"], row[3..].Select(v => (string)v!));
        }

        Assert.Equal(cases.Length, await _db.CountAsync("messages"));
        Assert.Equal(1, await _db.CountAsync("contacts", "profile_name = 'Sheena Nelson' AND wa_id = $1 AND customer_key = $1", Customer));
        Assert.Equal(1, await _db.CountAsync("conversations"));
    }

    [Fact]
    public async Task A_customer_with_only_a_business_scoped_user_id_is_keyed_on_it_and_keeps_both_ids_when_the_number_appears()
    {
        var value = new JsonObject
        {
            ["contacts"] = new JsonArray(new JsonObject { ["profile"] = new JsonObject { ["name"] = "Kit" }, ["user_id"] = "US.13491208655302741918" }),
            ["messages"] = new JsonArray(new JsonObject
            {
                ["from_user_id"] = "US.13491208655302741918", ["id"] = MetaPayloads.NewWamid(), ["timestamp"] = "1739321024",
                ["type"] = "text", ["text"] = new JsonObject { ["body"] = "hi" },
            }),
        };
        (await PostAsync(MetaPayloads.Envelope(MetaPayloads.Change(_phoneNumberId, value)))).Dispose();
        var again = (JsonObject)value.DeepClone();
        again["contacts"]![0]!["wa_id"] = Customer;
        again["messages"]![0]!["id"] = MetaPayloads.NewWamid();
        (await PostAsync(MetaPayloads.Envelope(MetaPayloads.Change(_phoneNumberId, again)))).Dispose();

        var contact = Assert.Single(await _db.RowsAsync("SELECT customer_key, user_id, wa_id FROM contacts"));
        Assert.Equal(["US.13491208655302741918", "US.13491208655302741918", Customer], contact.Select(v => (string)v!));
        Assert.Equal(2, await _db.CountAsync("messages"));
    }

    [Fact]
    public async Task A_batched_payload_stores_every_entry_change_message_and_status_in_one_go()
    {
        var sentWamid = await SeedOutboundAsync(MessageStatus: "Sent");
        var first = MetaPayloads.Text(_phoneNumberId, Customer, MetaPayloads.NewWamid(), "one");
        var second = MetaPayloads.Text(_phoneNumberId, "447700900123", MetaPayloads.NewWamid(), "two");
        var firstChange = (JsonObject)first["entry"]![0]!["changes"]![0]!;
        ((JsonArray)firstChange["value"]!["messages"]!).Add(new JsonObject
        {
            ["from"] = Customer, ["id"] = MetaPayloads.NewWamid(), ["timestamp"] = "1739321030", ["type"] = "text", ["text"] = new JsonObject { ["body"] = "three" },
        });
        var statuses = (JsonObject)MetaPayloads.Status(_phoneNumberId, sentWamid, "delivered", 1739321040)["entry"]![0]!["changes"]![0]!;
        ((JsonArray)statuses["value"]!["statuses"]!).Add(new JsonObject { ["id"] = MetaPayloads.NewWamid(), ["status"] = "read", ["timestamp"] = "1739321041", ["recipient_id"] = Customer });
        var payload = MetaPayloads.Entries(
            new JsonObject { ["id"] = "1", ["changes"] = new JsonArray(firstChange.DeepClone(), statuses.DeepClone()) },
            new JsonObject { ["id"] = "2", ["changes"] = new JsonArray(second["entry"]![0]!["changes"]![0]!.DeepClone()) });

        using var response = await PostAsync(payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Three new ones, beside the one that opened the conversation.
        Assert.Equal(4, await _db.CountAsync("messages", "direction = 'Inbound'"));
        Assert.Equal(2, await _db.CountAsync("contacts"));
        Assert.Equal("Delivered", await _db.ScalarAsync<string>("SELECT status FROM messages WHERE wa_message_id = $1", sentWamid));
        Assert.Equal(1, await _db.CountAsync("parked_statuses", "status = 'Read'"));
        Assert.Equal(2, await _db.CountAsync("work_items", "kind = 'Reply' AND state = 'Pending'"));
    }

    [Fact]
    public async Task The_same_payload_delivered_five_times_at_once_stores_one_message_and_one_reply_request()
    {
        var body = Encoding.UTF8.GetBytes(MetaPayloads.Text(_phoneNumberId, Customer, MetaPayloads.NewWamid(), "Is the shop open today?").ToJsonString());

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => _meta.PostAsync("/webhooks/whatsapp", MetaPayloads.Signed(body), Ct)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, await _db.CountAsync("messages"));
        var work = Assert.Single(await _db.RowsAsync("SELECT kind, generation FROM work_items"));
        Assert.Equal("Reply", work[0]);
        Assert.Equal(0, work[1]);
    }

    [Fact]
    public async Task Three_quick_messages_ask_for_one_reply_whose_quiet_time_restarts_with_each()
    {
        var wait = TimeSpan.FromSeconds(2);
        for (var i = 0; i < 3; i++)
        {
            (await PostAsync(MetaPayloads.Text(_phoneNumberId, Customer, MetaPayloads.NewWamid(), $"part {i}"))).Dispose();
            _api.Clock.Advance(TimeSpan.FromMilliseconds(500));
        }

        var work = Assert.Single(await _db.RowsAsync("SELECT generation, due_at FROM work_items WHERE kind = 'Reply'"));
        Assert.Equal(2, work[0]);
        var lastMessageAt = _api.Clock.GetUtcNow() - TimeSpan.FromMilliseconds(500);
        Assert.Equal(lastMessageAt + wait, new DateTimeOffset((DateTime)work[1]!), TimeSpan.FromMilliseconds(5));
    }

    [Fact]
    public async Task Statuses_move_forward_only_whatever_order_they_arrive_in_and_failed_is_final()
    {
        var wamid = await SeedOutboundAsync(MessageStatus: "Sent");
        foreach (var status in new[] { "read", "delivered", "sent" })
        {
            (await PostAsync(MetaPayloads.Status(_phoneNumberId, wamid, status, 1739321100))).Dispose();
        }

        var failing = await SeedOutboundAsync(MessageStatus: "Sent");
        (await PostAsync(MetaPayloads.Status(_phoneNumberId, failing, "failed", 1739321100, 131026, "Message undeliverable"))).Dispose();
        (await PostAsync(MetaPayloads.Status(_phoneNumberId, failing, "read", 1739321101))).Dispose();

        Assert.Equal("Read", await _db.ScalarAsync<string>("SELECT status FROM messages WHERE wa_message_id = $1", wamid));
        var failed = Assert.Single(await _db.RowsAsync("SELECT status, error_code, error_title FROM messages WHERE wa_message_id = $1", failing));
        Assert.Equal(["Failed", 131026, "Message undeliverable"], failed);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("malformed")]
    [InlineData("wrong-secret")]
    [InlineData("other-body")]
    public async Task A_missing_or_wrong_signature_is_401_and_stores_nothing(string how)
    {
        var body = Encoding.UTF8.GetBytes(MetaPayloads.Text(_phoneNumberId, Customer, MetaPayloads.NewWamid(), "hello").ToJsonString());
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        var header = how switch
        {
            "missing" => null,
            "malformed" => "sha256=zz" + new string('0', 62),
            "wrong-secret" => MetaPayloads.Sign(body, "some-other-app-secret"),
            _ => MetaPayloads.Sign(Encoding.UTF8.GetBytes(MetaPayloads.Text(_phoneNumberId, Customer, MetaPayloads.NewWamid(), "other").ToJsonString())),
        };
        if (header is not null)
        {
            content.Headers.Add("X-Hub-Signature-256", header);
        }

        using var response = await _meta.PostAsync("/webhooks/whatsapp", content, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await _db.CountAsync("messages"));
        Assert.Equal(0, await _db.CountAsync("contacts"));
        Assert.Equal(0, await _db.CountAsync("work_items"));
    }

    [Fact]
    public async Task Bad_input_is_answered_as_Meta_expects_and_leaves_nothing_half_stored()
    {
        var valid = MetaPayloads.Text(_phoneNumberId, Customer, MetaPayloads.NewWamid(), "hello").ToJsonString();
        var noMetadata = MetaPayloads.Text(_phoneNumberId, Customer, MetaPayloads.NewWamid(), "hello");
        ((JsonObject)noMetadata["entry"]![0]!["changes"]![0]!["value"]!).Remove("metadata");
        var otherObject = MetaPayloads.Text(_phoneNumberId, Customer, MetaPayloads.NewWamid(), "hello");
        otherObject["object"] = "instagram";
        var otherField = MetaPayloads.Text(_phoneNumberId, Customer, MetaPayloads.NewWamid(), "hello");
        otherField["entry"]![0]!["changes"]![0]!["field"] = "account_update";
        var unknownNumber = MetaPayloads.Text("999999999999999", Customer, MetaPayloads.NewWamid(), "hello");
        var oversizedSender = MetaPayloads.Text(_phoneNumberId, new string('1', 40), MetaPayloads.NewWamid(), "hello");
        var huge = new byte[4 * 1024 * 1024];
        Array.Fill(huge, (byte)' ');

        var cases = new (string Name, byte[] Body, HttpStatusCode Expected)[]
        {
            ("truncated JSON", Encoding.UTF8.GetBytes(valid[..(valid.Length / 2)]), HttpStatusCode.BadRequest),
            ("not an object", "[1,2,3]"u8.ToArray(), HttpStatusCode.BadRequest),
            ("another object", Encoding.UTF8.GetBytes(otherObject.ToJsonString()), HttpStatusCode.OK),
            ("another field", Encoding.UTF8.GetBytes(otherField.ToJsonString()), HttpStatusCode.OK),
            ("no metadata", Encoding.UTF8.GetBytes(noMetadata.ToJsonString()), HttpStatusCode.OK),
            ("unknown number", Encoding.UTF8.GetBytes(unknownNumber.ToJsonString()), HttpStatusCode.OK),
            ("a sender id longer than any phone number", Encoding.UTF8.GetBytes(oversizedSender.ToJsonString()), HttpStatusCode.OK),
            ("4 MB", huge, HttpStatusCode.RequestEntityTooLarge),
        };

        foreach (var (name, body, expected) in cases)
        {
            using var response = await _meta.PostAsync("/webhooks/whatsapp", MetaPayloads.Signed(body), Ct);
            Assert.True(expected == response.StatusCode, $"{name}: expected {expected}, got {response.StatusCode}");
        }

        Assert.Equal(0, await _db.CountAsync("messages"));
        Assert.Equal(0, await _db.CountAsync("contacts"));
        Assert.Equal(0, await _db.CountAsync("conversations"));
        Assert.Equal(0, await _db.CountAsync("work_items"));
        Assert.Contains(_api.Logs.Lines, l => l.Contains("no active connection"));
    }

    [Fact]
    public async Task Stored_messages_are_announced_live_a_new_conversation_once_a_redelivery_not_at_all()
    {
        var events = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(stores.Redis.ConnectionString);
        var tenant = await _db.ScalarAsync<Guid>("SELECT tenant_id FROM whats_app_connections WHERE phone_number_id = $1", _phoneNumberId);
        await redis.GetSubscriber().SubscribeAsync(StackExchange.Redis.RedisChannel.Literal($"leadspeer:tenant:{tenant:N}:events"), (_, e) => events.Enqueue(e!));
        var first = MetaPayloads.Text(_phoneNumberId, Customer, MetaPayloads.NewWamid(), "one");

        (await PostAsync(first)).Dispose();
        (await PostAsync(first)).Dispose();
        var second = MetaPayloads.NewWamid();
        (await PostAsync(MetaPayloads.Text(_phoneNumberId, Customer, second, "two"))).Dispose();
        // The positive marker: the last message's own event; the redelivery's would have come before it.
        var secondId = (await _db.ScalarAsync<Guid>("SELECT id FROM messages WHERE wa_message_id = $1", second)).ToString();
        await Eventually.TrueAsync(() => Task.FromResult(events.Any(e => e.Contains("message.added") && e.Contains(secondId))), "the second message is announced");

        var received = events.ToList();
        Assert.Single(received, e => e.Contains("conversation.created"));
        Assert.Equal(2, received.Count(e => e.Contains("message.added")));
        Assert.DoesNotContain(received, e => e.Contains(Customer) || e.Contains("one") && e.Contains("text"));
    }

    [Fact]
    public async Task A_status_for_a_message_not_stored_yet_is_parked_not_lost()
    {
        var wamid = MetaPayloads.NewWamid();

        using var response = await PostAsync(MetaPayloads.Status(_phoneNumberId, wamid, "delivered", 1739321100));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await _db.CountAsync("parked_statuses", "wa_message_id = $1 AND status = 'Delivered'", wamid));
    }

    [Fact]
    public async Task Phone_numbers_and_message_bodies_never_reach_the_logs()
    {
        const string secretWords = "my card number is 4111 1111";
        (await PostAsync(MetaPayloads.Text(_phoneNumberId, Customer, MetaPayloads.NewWamid(), secretWords))).Dispose();
        (await PostAsync(MetaPayloads.Text("999999999999999", Customer, MetaPayloads.NewWamid(), secretWords))).Dispose();
        (await _meta.PostAsync("/webhooks/whatsapp", MetaPayloads.Signed(MetaPayloads.Text(_phoneNumberId, Customer, "x", secretWords), "wrong"), Ct)).Dispose();
        (await _meta.PostAsync("/webhooks/whatsapp", MetaPayloads.Signed(Encoding.UTF8.GetBytes("{\"text\":\"" + secretWords)), Ct)).Dispose();

        Assert.Equal(1, await _db.CountAsync("messages"));
        Assert.NotEmpty(_api.Logs.Lines);
        Assert.DoesNotContain(Customer, _api.Logs.All);
        Assert.DoesNotContain("4111 1111", _api.Logs.All);
        Assert.DoesNotContain("15550783881", _api.Logs.All);
    }

    private async Task<HttpResponseMessage> PostAsync(JsonObject payload) =>
        await _meta.PostAsync("/webhooks/whatsapp", MetaPayloads.Signed(payload), Ct);

    /// <summary>An outbound message the business sent to <see cref="Customer"/>, as the sender records it.</summary>
    private async Task<string> SeedOutboundAsync(string MessageStatus)
    {
        (await PostAsync(MetaPayloads.Text(_phoneNumberId, Customer, MetaPayloads.NewWamid(), "hello"))).Dispose();
        var wamid = MetaPayloads.NewWamid();
        await _db.ExecuteAsync("""
            INSERT INTO messages (id, tenant_id, conversation_id, direction, wa_message_id, type, text, status, author, created_at)
            SELECT gen_random_uuid(), tenant_id, id, 'Outbound', $1, 'text', 'Hi!', $2, 'Agent', now() FROM conversations
            """, wamid, MessageStatus);
        return wamid;
    }

    private async Task<string> CreateSandboxAsync(HttpClient owner)
    {
        using var response = await owner.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("phoneNumberId").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        _meta.Dispose();
        await _api.DisposeAsync();
    }
}
