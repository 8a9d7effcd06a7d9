using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.Conversations;

/// <summary>The operators' actions through the REST API: the state machine's rules, races, tenants, audit and bad input.</summary>
public sealed class ConversationTests(TestStores stores) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private Db _db = null!;
    private HttpClient _owner = null!;
    private HttpClient _operator = null!;
    private Guid _sandbox;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        _db = new Db(_api.DatabaseConnectionString);
        _owner = await _api.SignUpAsync("Harbour Hats", "owner@harbour.example");
        (await _owner.PostAsJsonAsync("/api/team/invitations", new { email = "olive@harbour.example", role = "Operator" }, Ct)).Dispose();
        using (var anonymous = _api.CreateClient())
        {
            (await anonymous.PostAsJsonAsync($"/api/team/invitations/{_api.InvitationTokenSentTo("olive@harbour.example")}/accept",
                new { name = "Olive", password = ApiFactory.Password }, Ct)).EnsureSuccessStatusCode();
        }

        _operator = await _api.SignInAsync("olive@harbour.example", ApiFactory.Password);
        using var sandbox = await _owner.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        _sandbox = (await sandbox.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task Claim_release_hand_back_resolve_and_reopen_move_the_conversation_and_each_is_audited()
    {
        var id = await CustomerWritesAsync("Do you have red hats?");

        Assert.Equal("Human", await StateAfterAsync(_operator, $"/api/conversations/{id}/claim"));
        Assert.Equal("NeedsHuman", await StateAfterAsync(_operator, $"/api/conversations/{id}/release"));
        var waiting = await _operator.GetFromJsonAsync<JsonElement>($"/api/conversations/{id}", Ct);
        Assert.Equal("Released by an operator.", waiting.GetProperty("handoffReason").GetString());
        Assert.Equal(JsonValueKind.String, waiting.GetProperty("waitingSince").ValueKind);
        Assert.Equal("Ai", await StateAfterAsync(_operator, $"/api/conversations/{id}/hand-back"));
        Assert.Equal("Resolved", await StateAfterAsync(_operator, $"/api/conversations/{id}/resolve"));
        Assert.Equal("NeedsHuman", await StateAfterAsync(_operator, $"/api/conversations/{id}/reopen"));

        var actions = (await _db.RowsAsync("SELECT action, details FROM audit_entries WHERE entity_id = $1 ORDER BY created_at, id", id))
            .Select(r => (string)r[0]!).ToList();
        Assert.Equal(["conversation.claim", "conversation.release", "conversation.hand-back", "conversation.resolve", "conversation.reopen"], actions);
    }

    [Fact]
    public async Task A_new_customer_message_reopens_a_resolved_conversation_to_the_AI()
    {
        var id = await CustomerWritesAsync("First visit");
        (await _operator.PostAsync($"/api/conversations/{id}/resolve", null, Ct)).EnsureSuccessStatusCode();
        _api.Clock.Advance(TimeSpan.FromSeconds(5));

        // The simulated customer's message carries the (advanced) clock's time, newer than the first.
        await CustomerWritesAsync("Back again");

        Assert.Equal("Ai", await _db.ScalarAsync<string>("SELECT state FROM conversations WHERE id = $1", id));
    }

    [Fact]
    public async Task A_state_change_is_announced_live_after_its_commit_and_a_refused_one_is_not()
    {
        var id = await CustomerWritesAsync("Hello?");
        var tenant = await _db.ScalarAsync<Guid>("SELECT tenant_id FROM conversations WHERE id = $1", id);
        var events = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(stores.Redis.ConnectionString);
        await redis.GetSubscriber().SubscribeAsync(StackExchange.Redis.RedisChannel.Literal($"leadspeer:tenant:{tenant:N}:events"), (_, e) => events.Enqueue(e!));

        (await _operator.PostAsync($"/api/conversations/{id}/claim", null, Ct)).EnsureSuccessStatusCode();
        (await _owner.PostAsync($"/api/conversations/{id}/claim", null, Ct)).Dispose();
        // The positive marker: a later move's event, published after anything the refused claim could have published.
        (await _operator.PostAsync($"/api/conversations/{id}/release", null, Ct)).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(() => Task.FromResult(events.Any(e => e.Contains("\"status\":\"NeedsHuman\""))), "the release is announced");

        var stateEvents = events.Where(e => e.Contains("conversation.state")).ToList();
        Assert.Equal(2, stateEvents.Count);
        Assert.Contains(id.ToString(), stateEvents[0]);
        Assert.Contains("\"status\":\"Human\"", stateEvents[0]);
    }

    [Fact]
    public async Task The_inbox_puts_the_longest_waiting_first_then_the_latest_activity_across_pages()
    {
        var ai = await CustomerWritesAsync("Just browsing", "15550000010");
        var waitingLonger = await CustomerWritesAsync("I need help", "15550000011");
        var waitingShorter = await CustomerWritesAsync("Me too", "15550000012");
        (await _operator.PostAsync($"/api/conversations/{waitingLonger}/claim", null, Ct)).EnsureSuccessStatusCode();
        (await _operator.PostAsync($"/api/conversations/{waitingLonger}/release", null, Ct)).EnsureSuccessStatusCode();
        _api.Clock.Advance(TimeSpan.FromMinutes(1));
        (await _operator.PostAsync($"/api/conversations/{waitingShorter}/claim", null, Ct)).EnsureSuccessStatusCode();
        (await _operator.PostAsync($"/api/conversations/{waitingShorter}/release", null, Ct)).EnsureSuccessStatusCode();
        _api.Clock.Advance(TimeSpan.FromMinutes(1));
        await CustomerWritesAsync("Any news?", "15550000010");

        var order = new List<Guid>();
        var previews = new List<string?>();
        string? cursor = null;
        do
        {
            var page = await _operator.GetFromJsonAsync<JsonElement>($"/api/conversations?limit=1{(cursor is null ? "" : "&cursor=" + cursor)}", Ct);
            order.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
            previews.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("lastMessage").GetProperty("text").GetString()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal([waitingLonger, waitingShorter, ai], order);
        Assert.Equal(["I need help", "Me too", "Any news?"], previews); // each row's latest message
    }

    [Fact]
    public async Task Unread_counts_what_the_customer_wrote_since_the_organisation_last_read_and_opening_clears_it()
    {
        var id = await CustomerWritesAsync("One");
        await CustomerWritesAsync("Two");
        (await _operator.PostAsync($"/api/conversations/{id}/claim", null, Ct)).EnsureSuccessStatusCode();

        Assert.Equal(2, (await _operator.GetFromJsonAsync<JsonElement>($"/api/conversations/{id}", Ct)).GetProperty("unreadCount").GetInt32());
        Assert.Single((await _operator.GetFromJsonAsync<JsonElement>("/api/conversations?unread=true", Ct)).GetProperty("items").EnumerateArray());
        using var read = await _operator.PostAsync($"/api/conversations/{id}/read", null, Ct);
        Assert.Equal(0, (await read.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("unreadCount").GetInt32());
        Assert.Empty((await _operator.GetFromJsonAsync<JsonElement>("/api/conversations?unread=true", Ct)).GetProperty("items").EnumerateArray());
        // A human handles it, so the customer gets blue ticks through the Worker.
        Assert.Equal(1, await _db.CountAsync("work_items", "kind = 'MarkRead' AND subject_id = $1", id));

        _api.Clock.Advance(TimeSpan.FromSeconds(5));
        await CustomerWritesAsync("Three");
        Assert.Equal(1, (await _operator.GetFromJsonAsync<JsonElement>($"/api/conversations/{id}", Ct)).GetProperty("unreadCount").GetInt32());
    }

    [Fact]
    public async Task A_contact_is_readable_by_its_organisation_only()
    {
        var id = await CustomerWritesAsync("Hello?");
        var contact = await _db.ScalarAsync<Guid>("SELECT contact_id FROM conversations WHERE id = $1", id);
        using var stranger = await _api.SignUpAsync("Lagoon Lights", "owner@lagoon.example");

        var read = await _operator.GetFromJsonAsync<JsonElement>($"/api/contacts/{contact}", Ct);
        using var hidden = await stranger.GetAsync($"/api/contacts/{contact}", Ct);

        Assert.Equal("15550000001", read.GetProperty("waId").GetString());
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }

    [Fact]
    public async Task Two_operators_claiming_at_once_one_wins_and_the_other_gets_409_with_the_current_state()
    {
        var id = await CustomerWritesAsync("Hello?");

        var answers = await Task.WhenAll(
            _owner.PostAsync($"/api/conversations/{id}/claim", null, Ct),
            _operator.PostAsync($"/api/conversations/{id}/claim", null, Ct));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        var refused = await answers.Single(a => a.StatusCode == HttpStatusCode.Conflict).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Human", refused.GetProperty("state").GetString());
        Assert.Equal(1, await _db.CountAsync("audit_entries", "action = 'conversation.claim'"));
    }

    [Fact]
    public async Task Only_the_holder_releases_or_resolves_another_operator_takes_over_explicitly_and_it_is_recorded()
    {
        var id = await CustomerWritesAsync("Hello?");
        (await _operator.PostAsync($"/api/conversations/{id}/claim", null, Ct)).EnsureSuccessStatusCode();

        using var release = await _owner.PostAsync($"/api/conversations/{id}/release", null, Ct);
        using var resolve = await _owner.PostAsync($"/api/conversations/{id}/resolve", null, Ct);
        using var takeOver = await _owner.PostAsync($"/api/conversations/{id}/claim?takeOver=true", null, Ct);

        Assert.Equal(HttpStatusCode.Conflict, release.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, resolve.StatusCode);
        Assert.Equal(HttpStatusCode.OK, takeOver.StatusCode);
        var ownerId = await _db.ScalarAsync<Guid>("SELECT id FROM users WHERE email = 'owner@harbour.example'");
        Assert.Equal(ownerId, (await takeOver.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("assignedUserId").GetGuid());
        Assert.Contains("from operator", await _db.ScalarAsync<string>("SELECT details FROM audit_entries WHERE action = 'conversation.take-over'"));
    }

    [Fact]
    public async Task The_handling_operator_replies_through_the_outbound_path_others_and_closed_windows_are_refused()
    {
        var id = await CustomerWritesAsync("What sizes?");

        using var unclaimed = await _operator.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "S, M and L." }, Ct);
        (await _operator.PostAsync($"/api/conversations/{id}/claim", null, Ct)).EnsureSuccessStatusCode();
        using var reply = await _operator.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "S, M and L." }, Ct);
        using var notMine = await _owner.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "Also XL." }, Ct);
        await _db.ExecuteAsync("UPDATE conversations SET window_expires_at = now() - interval '1 minute' WHERE id = $1", id);
        using var closed = await _operator.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "Still there?" }, Ct);

        Assert.Equal(HttpStatusCode.Conflict, unclaimed.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, notMine.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, closed.StatusCode);
        Assert.Contains("24-hour", (await closed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("title").GetString());
        var sent = Assert.Single(await _db.RowsAsync("SELECT author, status, text FROM messages WHERE direction = 'Outbound'"));
        Assert.Equal(["Operator", "Pending", "S, M and L."], sent);
        Assert.Equal(1, await _db.CountAsync("work_items", "kind = 'Send'"));
        // The audit trail says who replied, never what.
        Assert.Equal(1, await _db.CountAsync("audit_entries", "action = 'conversation.reply'"));
        Assert.Equal(0, await _db.CountAsync("audit_entries", "details LIKE '%S, M and L%'"));
    }

    [Fact]
    public async Task The_thread_shows_the_sources_an_AI_answer_used_as_they_were_when_it_was_written()
    {
        var id = await CustomerWritesAsync("How long is the warranty?");
        var tenant = await _db.ScalarAsync<Guid>("SELECT tenant_id FROM conversations WHERE id = $1", id);
        await _db.ExecuteAsync("""
            INSERT INTO messages (id, tenant_id, conversation_id, direction, type, text, status, author, sources, created_at)
            VALUES (gen_random_uuid(), $1, $2, 'Outbound', 'text', 'One year from purchase.', 'Sent', 'Agent',
                    '[{"documentId":"01a21cf2-57e1-70fa-9c6f-bafe0ff54863","documentName":"manual.pdf","location":"page 4","excerpt":"The warranty lasts one year from purchase."}]', now())
            """, tenant, id);

        var thread = await _operator.GetFromJsonAsync<JsonElement>($"/api/conversations/{id}/messages", Ct);

        var answer = thread.GetProperty("items").EnumerateArray().Single(m => m.GetProperty("author").GetString() == "Agent");
        var source = Assert.Single(answer.GetProperty("sources").EnumerateArray());
        Assert.Equal(("manual.pdf", "page 4"), (source.GetProperty("documentName").GetString(), source.GetProperty("location").GetString()));
        Assert.Contains("one year", source.GetProperty("excerpt").GetString());
        var question = thread.GetProperty("items").EnumerateArray().Single(m => m.GetProperty("author").GetString() == "Customer");
        Assert.Equal(JsonValueKind.Null, question.GetProperty("sources").ValueKind);
    }

    [Fact]
    public async Task Another_organisation_sees_none_of_it_on_any_route()
    {
        var id = await CustomerWritesAsync("Private question");
        using var stranger = await _api.SignUpAsync("Lighthouse Lamps", "owner@lighthouse.example");

        var list = await stranger.GetFromJsonAsync<JsonElement>("/api/conversations", Ct);
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
        foreach (var (method, path) in new[]
                 {
                     ("GET", $"/api/conversations/{id}"), ("GET", $"/api/conversations/{id}/messages"), ("POST", $"/api/conversations/{id}/claim"),
                     ("POST", $"/api/conversations/{id}/release"), ("POST", $"/api/conversations/{id}/hand-back"), ("POST", $"/api/conversations/{id}/resolve"),
                     ("POST", $"/api/conversations/{id}/reopen"),
                 })
        {
            using var response = await stranger.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {response.StatusCode}");
        }

        using var reply = await stranger.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "hi" }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, reply.StatusCode);
        (await _operator.PostAsync($"/api/conversations/{id}/claim", null, Ct)).EnsureSuccessStatusCode();
        var strangersActivity = await stranger.GetFromJsonAsync<JsonElement>("/api/audit", Ct);
        Assert.DoesNotContain(strangersActivity.GetProperty("items").EnumerateArray(), e => e.GetProperty("action").GetString()!.StartsWith("conversation."));
        Assert.Equal("Human", await _db.ScalarAsync<string>("SELECT state FROM conversations WHERE id = $1", id));
    }

    [Fact]
    public async Task The_conversation_routes_are_described_in_OpenAPI()
    {
        var document = await _owner.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/conversations", paths);
        Assert.Contains("/api/conversations/{id}/claim", paths);
        Assert.Contains("/api/conversations/{id}/messages", paths);
        Assert.Contains("/api/contacts/{id}", paths);
        Assert.Contains("/api/audit", paths);
    }

    [Fact]
    public async Task Bad_input_is_a_clear_4xx_and_changes_nothing()
    {
        var id = await CustomerWritesAsync("Hi");
        (await _operator.PostAsync($"/api/conversations/{id}/claim", null, Ct)).EnsureSuccessStatusCode();

        var cases = new (string Name, Func<Task<HttpResponseMessage>> Call, HttpStatusCode Expected)[]
        {
            ("unknown id", () => _operator.PostAsync($"/api/conversations/{Guid.NewGuid()}/claim", null, Ct), HttpStatusCode.NotFound),
            ("huge page", () => _operator.GetAsync("/api/conversations?limit=100000", Ct), HttpStatusCode.BadRequest),
            ("zero page", () => _operator.GetAsync($"/api/conversations/{id}/messages?limit=0", Ct), HttpStatusCode.BadRequest),
            ("malformed cursor", () => _operator.GetAsync("/api/conversations?cursor=not-a-cursor!", Ct), HttpStatusCode.BadRequest),
            ("forged cursor", () => _operator.GetAsync("/api/conversations?cursor=MTIzOmFiYw", Ct), HttpStatusCode.BadRequest),
            ("empty reply", () => _operator.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "" }, Ct), HttpStatusCode.BadRequest),
            ("4,097 characters", () => _operator.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = new string('a', 4097) }, Ct), HttpStatusCode.BadRequest),
            ("reopen an open one", () => _operator.PostAsync($"/api/conversations/{id}/reopen", null, Ct), HttpStatusCode.Conflict),
            ("audit as an operator", () => _operator.GetAsync("/api/audit", Ct), HttpStatusCode.Forbidden),
        };

        foreach (var (name, call, expected) in cases)
        {
            using var response = await call();
            Assert.True(expected == response.StatusCode, $"{name}: expected {expected}, got {response.StatusCode}");
            if (response.StatusCode != HttpStatusCode.Forbidden)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        Assert.Equal(0, await _db.CountAsync("messages", "direction = 'Outbound'"));
        Assert.Equal("Human", await _db.ScalarAsync<string>("SELECT state FROM conversations WHERE id = $1", id));
    }

    [Fact]
    public async Task The_list_filters_and_pages_without_skipping_or_repeating_and_the_activity_page_lists_the_audit()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await CustomerWritesAsync($"Question {i}", $"1555000000{i}"));
            _api.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        (await _operator.PostAsync($"/api/conversations/{ids[1]}/claim", null, Ct)).EnsureSuccessStatusCode();

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await _operator.GetFromJsonAsync<JsonElement>($"/api/conversations?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}", Ct);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(ids.Order(), seen.Order());
        var mine = await _operator.GetFromJsonAsync<JsonElement>("/api/conversations?mine=true", Ct);
        Assert.Equal(ids[1], Assert.Single(mine.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        var human = await _owner.GetFromJsonAsync<JsonElement>("/api/conversations?state=Human", Ct);
        Assert.Single(human.GetProperty("items").EnumerateArray());
        var searched = await _owner.GetFromJsonAsync<JsonElement>("/api/conversations?search=15550000002", Ct);
        Assert.Equal(ids[2], Assert.Single(searched.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());

        var activity = await _owner.GetFromJsonAsync<JsonElement>("/api/audit?action=conversation.claim", Ct);
        var entry = Assert.Single(activity.GetProperty("items").EnumerateArray());
        Assert.Equal(ids[1], entry.GetProperty("entityId").GetGuid());
    }

    /// <summary>A customer message through the sandbox (the real webhook path); returns its conversation.</summary>
    private async Task<Guid> CustomerWritesAsync(string text, string from = "15550000001")
    {
        (await _owner.PostAsJsonAsync($"/api/sandbox/connections/{_sandbox}/customer-messages", new { text, from }, Ct)).EnsureSuccessStatusCode();
        return await _db.ScalarAsync<Guid>(
            "SELECT v.id FROM conversations v JOIN contacts k ON k.id = v.contact_id WHERE k.wa_id = $1", from);
    }

    private async Task<string?> StateAfterAsync(HttpClient client, string path)
    {
        using var response = await client.PostAsync(path, null, Ct);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("state").GetString();
    }

    public async ValueTask DisposeAsync()
    {
        _owner.Dispose();
        _operator.Dispose();
        await _api.DisposeAsync();
    }
}
