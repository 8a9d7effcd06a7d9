using System.Text.Json.Nodes;
using LeadsPeer.Core.Agent;
using LeadsPeer.Testing;

namespace LeadsPeer.Worker.Tests.Channel;

/// <summary>From a customer's webhook to the reply Meta receives: turns, duplicates, statuses, Meta's errors and rules.</summary>
public sealed class PipelineTests(TestStores stores) : IAsyncLifetime
{
    private const string HandoffMessage = AgentSettings.DefaultHandoffMessage;
    private ChannelHarness _channel = null!;

    public async ValueTask InitializeAsync()
    {
        _channel = await ChannelHarness.CreateAsync(stores);
        await _channel.StartWorkerAsync();
    }

    [Fact]
    public async Task Three_quick_messages_make_one_turn_answered_once_after_it_is_marked_read_with_typing()
    {
        var wamids = Enumerable.Range(0, 3).Select(_ => MetaPayloads.NewWamid()).ToList();
        for (var i = 0; i < 3; i++)
        {
            await _channel.DeliverTextAsync($"part {i} of my question", wamids[i]);
            await Task.Delay(150, TestContext.Current.CancellationToken);
        }

        await _channel.EventuallyAsync(() => Task.FromResult(!_channel.Graph.Sent.IsEmpty), "a reply is sent");
        await _channel.QuiescentAsync();

        var sent = Assert.Single(_channel.Graph.Sent);
        Assert.Equal(ChannelHarness.Customer, sent["to"]!.GetValue<string>());
        Assert.StartsWith(ChannelHarness.KnownAnswer, sent["text"]!["body"]!.GetValue<string>());
        // A slow machine may start preparing the answer before the last part arrives (it then
        // starts again for the whole turn): the turn still gets one answer, and its last message the ticks.
        var read = _channel.Graph.ReadMarks.Last();
        Assert.Equal(wamids[2], read["message_id"]!.GetValue<string>());
        Assert.Equal("text", read["typing_indicator"]!["type"]!.GetValue<string>());
        await _channel.EventuallyAsync(async () => await _channel.Db.CountAsync("messages", "direction = 'Outbound' AND status = 'Sent' AND wa_message_id LIKE 'wamid.STUB%'") == 1,
            "the reply is recorded as sent with its wamid");
    }

    [Fact]
    public async Task A_token_Graph_did_not_issue_for_the_number_sends_nothing_and_the_number_asks_to_be_connected_again()
    {
        // Another number's token, decrypting fine: only Graph can tell, and it refuses (190).
        _channel.Graph.AcceptToken("EAAG-a-token-of-another-number", "another-phone-number-id");
        await _channel.StoreTokenAsync("EAAG-a-token-of-another-number");

        await _channel.DeliverTextAsync("Do you sell helmets?");

        await _channel.EventuallyAsync(async () => await _channel.Db.ScalarAsync<string>("SELECT status FROM whats_app_connections") == "NeedsReauthorization",
            "the number is flagged for re-authorisation");
        // The number is flagged first (no other send starts), then the message is failed.
        await _channel.EventuallyAsync(async () => await _channel.Db.CountAsync("messages", "direction = 'Outbound' AND status = 'Failed' AND error_code = 190") == 1,
            "the reply is failed with Meta's 190");
        await _channel.QuiescentAsync();
        Assert.Empty(_channel.Graph.Sent);
        Assert.NotEmpty(_channel.Graph.RefusedTokens);
        Assert.Equal(1, await _channel.Db.CountAsync("messages", "direction = 'Outbound'"));
    }

    [Fact]
    public async Task The_same_message_delivered_five_times_at_once_is_answered_once()
    {
        var payload = MetaPayloads.Text(_channel.PhoneNumberId, ChannelHarness.Customer, MetaPayloads.NewWamid(), "Do you repair e-bikes?");

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => _channel.DeliverAsync((JsonObject)payload.DeepClone())));

        await _channel.EventuallyAsync(() => Task.FromResult(!_channel.Graph.Sent.IsEmpty), "a reply is sent");
        await _channel.QuiescentAsync();
        Assert.Single(_channel.Graph.Sent);
        Assert.Equal(1, await _channel.Db.CountAsync("messages", "direction = 'Inbound'"));
        Assert.Equal(1, await _channel.Db.CountAsync("messages", "direction = 'Outbound'"));
    }

    [Fact]
    public async Task A_status_that_beats_the_sends_own_commit_is_applied()
    {
        // Meta's "delivered" arrives before Graph's answer reaches the sender, so before the wamid is stored.
        _channel.Graph.BeforeSendAnswer = (_, wamid, _) =>
            _channel.DeliverAsync(MetaPayloads.Status(_channel.PhoneNumberId, wamid, "delivered", DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

        await _channel.DeliverTextAsync("Are you open on Sunday?");

        await _channel.EventuallyAsync(async () => await _channel.Db.CountAsync("messages", "direction = 'Outbound' AND status = 'Delivered'") == 1,
            "the early status is applied to the reply");
        Assert.Equal(0, await _channel.Db.CountAsync("parked_statuses"));
    }

    [Fact]
    public async Task Throughput_exceeded_then_accepted_sends_the_message_exactly_once()
    {
        _channel.Graph.SendFailures.Enqueue((400, 130429));

        await _channel.DeliverTextAsync("How much is a tune-up?");

        await _channel.EventuallyAsync(() => Task.FromResult(!_channel.Graph.Sent.IsEmpty), "the retried send is accepted");
        await _channel.QuiescentAsync();
        Assert.Equal(2, _channel.Graph.SendAttempts);
        Assert.Single(_channel.Graph.Sent);
        Assert.Equal(1, await _channel.Db.CountAsync("messages", "direction = 'Outbound' AND status = 'Sent'"));
    }

    [Fact]
    public async Task A_rejected_token_flags_the_connection_and_stops_its_sends()
    {
        _channel.Graph.SendFailures.Enqueue((401, 190));

        await _channel.DeliverTextAsync("Hello?");
        await _channel.EventuallyAsync(async () => await _channel.Db.CountAsync("whats_app_connections", "status = 'NeedsReauthorization'") == 1,
            "the connection needs re-authorisation");
        await _channel.DeliverTextAsync("Anyone there?");
        await _channel.EventuallyAsync(async () => await _channel.Db.CountAsync("messages", "direction = 'Outbound' AND status = 'Failed'") == 2,
            "both replies fail without being sent");

        Assert.Equal(1, _channel.Graph.SendAttempts);
        Assert.Empty(_channel.Graph.Sent);
        Assert.Equal(1, await _channel.Db.CountAsync("messages", "error_code = 190"));
        Assert.Contains("connect the number again", await _channel.Db.ScalarAsync<string>("SELECT status_reason FROM whats_app_connections"));
    }

    [Fact]
    public async Task Metas_window_closed_error_closes_the_conversations_window()
    {
        _channel.Graph.SendFailures.Enqueue((400, 131047));

        await _channel.DeliverTextAsync("Still there?");

        await _channel.EventuallyAsync(async () => await _channel.Db.CountAsync("messages", "status = 'Failed' AND error_code = 131047") == 1, "the reply fails with 131047");
        Assert.Equal(1, await _channel.Db.CountAsync("conversations", "window_expires_at <= now()"));
        Assert.Empty(_channel.Graph.Sent);
    }

    [Fact]
    public async Task A_turn_outside_the_24_hour_window_gets_no_free_form_reply()
    {
        await _channel.DeliverTextAsync("Sent yesterday, delivered late", timestamp: DateTimeOffset.UtcNow.AddHours(-25).ToUnixTimeSeconds());

        await _channel.EventuallyAsync(async () => await _channel.Db.CountAsync("work_items", "kind = 'Reply' AND state = 'Done'") == 1, "the turn is handled");
        Assert.Empty(_channel.Graph.Sent);
        Assert.Equal(0, await _channel.Db.CountAsync("messages", "direction = 'Outbound'"));
    }

    [Fact]
    public async Task A_customer_who_writes_STOP_is_opted_out_gets_no_answer_and_no_business_initiated_message()
    {
        await _channel.DeliverTextAsync("STOP");
        await _channel.EventuallyAsync(async () => await _channel.Db.CountAsync("work_items", "kind = 'Reply' AND state = 'Done'") == 1, "the turn is handled");
        Assert.Equal(1, await _channel.Db.CountAsync("contacts", "opted_out_at IS NOT NULL"));

        // A business-initiated template to the opted-out customer is refused before it reaches Graph.
        await _channel.Db.ExecuteAsync("""
            WITH m AS (
                INSERT INTO messages (id, tenant_id, conversation_id, direction, type, payload, status, author, created_at)
                SELECT gen_random_uuid(), tenant_id, id, 'Outbound', 'template', '{"type":"template","template":{"name":"promo","language":{"code":"en_US"}}}', 'Pending', 'Operator', now()
                FROM conversations RETURNING id, tenant_id)
            INSERT INTO work_items (id, tenant_id, kind, subject_id, dedupe_key, state, attempts, generation, due_at, created_at, updated_at)
            SELECT gen_random_uuid(), tenant_id, 'Send', id, 'send:' || id, 'Pending', 0, 0, now(), now(), now() FROM m
            """);
        await _channel.EventuallyAsync(async () => await _channel.Db.CountAsync("messages", "type = 'template' AND status = 'Failed' AND error_title LIKE '%opted out%'") == 1,
            "the template is refused");
        Assert.Equal(0, _channel.Graph.SendAttempts);
    }

    [Fact]
    public async Task Phone_numbers_message_bodies_and_tokens_never_reach_the_Workers_logs()
    {
        _channel.Graph.SendFailures.Enqueue((400, 130429));
        await _channel.DeliverTextAsync("my card number is 4111 1111");
        await _channel.EventuallyAsync(() => Task.FromResult(!_channel.Graph.Sent.IsEmpty), "the reply is sent");

        var output = _channel.Worker!.Output;
        Assert.Contains("Graph refused message", output);
        Assert.DoesNotContain(ChannelHarness.Customer, output);
        Assert.DoesNotContain("4111 1111", output);
        Assert.DoesNotContain(ChannelHarness.BusinessToken, output);
        Assert.DoesNotContain(ChannelHarness.KnownAnswer, output);
    }

    [Theory]
    [InlineData("Can you check my order?")] // answered from the knowledge
    [InlineData("I want a refund, the bike arrived damaged")] // handed to the team: the operator already has it
    public async Task An_operator_who_claims_while_the_AI_prepares_its_reply_silences_it(string text)
    {
        var preparing = new TaskCompletionSource();
        var proceed = new TaskCompletionSource();
        _channel.Graph.BeforeReadAnswer = async _ =>
        {
            preparing.TrySetResult();
            await proceed.Task;
        };

        await _channel.DeliverTextAsync(text);
        await _channel.WithinAsync(preparing.Task, "the Worker prepares its reply");
        await _channel.Db.ExecuteAsync("UPDATE conversations SET state = 'Human', assigned_user_id = gen_random_uuid()");
        proceed.SetResult();

        await _channel.EventuallyAsync(async () => await _channel.Db.CountAsync("work_items", "kind = 'Reply' AND state = 'Done'") == 1, "the turn is handled");
        await _channel.QuiescentAsync();
        Assert.Empty(_channel.Graph.Sent);
        Assert.Equal(0, await _channel.Db.CountAsync("messages", "direction = 'Outbound'"));
        Assert.Equal(("Human", null), (await _channel.Db.ScalarAsync<string>("SELECT state FROM conversations"), await _channel.Db.ScalarAsync<string?>("SELECT handoff_reason FROM conversations")));
    }

    [Fact]
    public async Task An_AI_reply_still_queued_when_an_operator_claims_is_cancelled_not_sent()
    {
        await _channel.DeliverTextAsync("Hello");
        await _channel.EventuallyAsync(() => Task.FromResult(_channel.Graph.Sent.Count == 1), "the first turn is answered");

        await _channel.Db.ExecuteAsync("UPDATE conversations SET state = 'Human', assigned_user_id = gen_random_uuid()");
        await _channel.Db.ExecuteAsync("""
            WITH m AS (
                INSERT INTO messages (id, tenant_id, conversation_id, direction, type, text, payload, status, author, created_at)
                SELECT gen_random_uuid(), tenant_id, id, 'Outbound', 'text', 'late', '{"type":"text","text":{"body":"late"}}', 'Pending', 'Agent', now()
                FROM conversations RETURNING id, tenant_id)
            INSERT INTO work_items (id, tenant_id, kind, subject_id, dedupe_key, state, attempts, generation, due_at, created_at, updated_at)
            SELECT gen_random_uuid(), tenant_id, 'Send', id, 'send:' || id, 'Pending', 0, 0, now(), now(), now() FROM m
            """);

        await _channel.EventuallyAsync(async () => await _channel.Db.CountAsync("messages", "text = 'late' AND status = 'Cancelled'") == 1, "the queued AI reply is cancelled");
        Assert.Single(_channel.Graph.Sent);
    }

    [Fact]
    public async Task An_operator_opening_a_conversation_gives_the_customer_blue_ticks_without_typing()
    {
        var latest = MetaPayloads.NewWamid();
        await _channel.DeliverTextAsync("Hello");
        await _channel.EventuallyAsync(() => Task.FromResult(_channel.Graph.Sent.Count == 1), "the AI answers the first turn");
        await _channel.Db.ExecuteAsync("UPDATE conversations SET state = 'Human', assigned_user_id = gen_random_uuid()");
        await _channel.DeliverTextAsync("A question for the person", latest);

        // What ConversationService.MarkReadAsync records when an operator opens the conversation.
        await _channel.Db.ExecuteAsync("""
            INSERT INTO work_items (id, tenant_id, kind, subject_id, dedupe_key, state, attempts, generation, due_at, created_at, updated_at)
            SELECT gen_random_uuid(), tenant_id, 'MarkRead', id, 'read:' || id, 'Pending', 0, 0, now(), now(), now() FROM conversations
            """);

        await _channel.EventuallyAsync(() => Task.FromResult(_channel.Graph.ReadMarks.Any(r => r["message_id"]!.GetValue<string>() == latest)), "the latest message is marked read");
        var mark = _channel.Graph.ReadMarks.Single(r => r["message_id"]!.GetValue<string>() == latest);
        Assert.Null(mark["typing_indicator"]);
        Assert.Single(_channel.Graph.Sent);
    }

    [Fact]
    public async Task A_customer_asking_for_a_person_is_handed_to_the_operators_instead_of_answered()
    {
        await _channel.DeliverTextAsync("I want to talk to a human, please");

        await _channel.EventuallyAsync(async () => await _channel.Db.CountAsync("conversations", "state = 'NeedsHuman'") == 1, "the conversation waits for a human");
        await _channel.EventuallyAsync(() => Task.FromResult(!_channel.Graph.Sent.IsEmpty), "the customer is told a person will answer");
        await _channel.QuiescentAsync();
        var conversation = Assert.Single(await _channel.Db.RowsAsync("SELECT handoff_reason, waiting_since IS NOT NULL FROM conversations"));
        Assert.Equal(["The customer asked for a person.", true], conversation);
        Assert.Equal(HandoffMessage, Assert.Single(_channel.Graph.Sent)["text"]!["body"]!.GetValue<string>());
        Assert.Equal(1, await _channel.Db.CountAsync("audit_entries", "action = 'conversation.handoff' AND user_id IS NULL"));
    }

    [Fact]
    public async Task A_handoff_that_cannot_be_written_leaves_neither_the_notice_nor_the_move_and_its_retry_makes_both_once()
    {
        // The handoff's audit entry is written last in its transaction: failing it fails the whole handoff.
        await _channel.Db.ExecuteAsync("""
            CREATE FUNCTION refuse_handoff() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'handoff refused'; END $$;
            CREATE TRIGGER refuse_handoff BEFORE INSERT ON audit_entries FOR EACH ROW WHEN (NEW.action = 'conversation.handoff') EXECUTE FUNCTION refuse_handoff();
            """);

        await _channel.DeliverTextAsync("I want to talk to a human, please");

        await _channel.EventuallyAsync(async () => await _channel.Db.CountAsync("work_items", "kind = 'Reply' AND last_error IS NOT NULL") == 1, "the turn's run fails");
        Assert.Equal(0, await _channel.Db.CountAsync("messages", "direction = 'Outbound'"));
        Assert.Equal("Ai", await _channel.Db.ScalarAsync<string>("SELECT state FROM conversations"));
        Assert.Empty(_channel.Graph.Sent);

        await _channel.Db.ExecuteAsync("DROP TRIGGER refuse_handoff ON audit_entries");
        await _channel.EventuallyAsync(async () => await _channel.Db.CountAsync("conversations", "state = 'NeedsHuman'") == 1, "the retry hands the conversation over");
        await _channel.QuiescentAsync();
        Assert.Equal(HandoffMessage, Assert.Single(_channel.Graph.Sent)["text"]!["body"]!.GetValue<string>());
        Assert.Equal(1, await _channel.Db.CountAsync("messages", "direction = 'Outbound'"));
        Assert.Equal(1, await _channel.Db.CountAsync("audit_entries", "action = 'conversation.handoff'"));
    }

    public async ValueTask DisposeAsync() => await _channel.DisposeAsync();
}
