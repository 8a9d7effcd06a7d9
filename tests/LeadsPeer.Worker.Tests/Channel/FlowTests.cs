using System.Text.Json.Nodes;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Conversations.Interactive;
using LeadsPeer.Core.Flows;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Core.Work;
using LeadsPeer.Testing;
using LeadsPeer.Worker.Tests.Knowledge;
using LeadsPeer.Worker.Work;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsPeer.Worker.Tests.Channel;

/// <summary>
/// The guided-flow engine with the flow it ships ("talk to a person", its reason chosen from
/// buttons): started by words, moved on by a tap or typed words, left with "cancel", a photo
/// answered with what the step needs, a stale button answered with a fresh start, a lapsed step
/// giving the turn back to the agent — each turn answered once, the state kept in PostgreSQL.
/// </summary>
public sealed class FlowTests(TestStores stores)
{
    private const string AskedBy = GuidedFlows.AskedByPrefix + TalkToPersonFlow.FlowName + ":reason";

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Words_start_the_flow_a_tap_on_its_question_hands_over_with_the_reason_and_a_retried_turn_asks_once()
    {
        await using var worker = await KnowledgeHarness.CreateAsync(stores);
        var (tenant, conversation) = await SeedAsync(worker);

        var start = await AddInboundAsync(worker, tenant, conversation, "Hello, I need customer service please");
        await ReplyAsync(worker, tenant, conversation);
        await ReplyAsync(worker, tenant, conversation); // a retried run of the same turn

        var question = Assert.Single(await OutboundAsync(worker));
        Assert.Equal(["interactive", AskedBy, "Flow", start], question[..4]);
        Assert.Contains("What is it about?", (string)question[4]!);
        Assert.Equal(["reason", start], Assert.Single(await worker.Db.RowsAsync("SELECT step, last_turn_id FROM flow_states")));

        var wamid = await SentAsync(worker, (Guid)question[5]!);
        await AddTapAsync(worker, tenant, conversation, wamid, "booking", "Booking");
        await ReplyAsync(worker, tenant, conversation);

        var handedOver = Assert.Single(await worker.Db.RowsAsync("SELECT state, handoff_reason FROM conversations"));
        Assert.Equal("NeedsHuman", handedOver[0]);
        Assert.Equal("The customer asked for a person: Booking.", handedOver[1]);
        Assert.Equal(0, await worker.Db.CountAsync("flow_states"));
        Assert.Equal(["HandOff"], (await OutboundAsync(worker)).Skip(1).Select(r => r[2]));
    }

    [Fact]
    public async Task A_typed_answer_moves_the_flow_cancel_leaves_it_and_a_photo_is_told_what_the_step_needs()
    {
        var database = await stores.CreateMigratedDatabaseAsync();
        Guid tenant, conversation;
        await using (var first = await KnowledgeHarness.CreateAsync(stores, database: database))
        {
            (tenant, conversation) = await SeedAsync(first);
            await AddInboundAsync(first, tenant, conversation, "Can I talk to the team?");
            await ReplyAsync(first, tenant, conversation);
        }

        // Another Worker process (the first stopped mid-flow): the flow goes on from PostgreSQL.
        await using var worker = await KnowledgeHarness.CreateAsync(stores, database: database);
        await AddInboundAsync(worker, tenant, conversation, "", type: "image");
        await ReplyAsync(worker, tenant, conversation);
        await AddInboundAsync(worker, tenant, conversation, "cancel");
        await ReplyAsync(worker, tenant, conversation);

        var replies = await OutboundAsync(worker);
        Assert.Equal(3, replies.Count);
        Assert.StartsWith(GuidedFlows.NeedsChoiceText, (string)replies[1][4]!);
        Assert.Equal(AskedBy, replies[1][1]);
        Assert.Equal(["text", null, "Flow", GuidedFlows.LeftText], [.. replies[2][..3], replies[2][4]]);
        Assert.Equal(0, await worker.Db.CountAsync("flow_states"));
        Assert.Equal("Ai", await worker.Db.ScalarAsync<string>("SELECT state FROM conversations"));

        // Typed instead of tapped: "an order problem" is the first button's reason.
        await AddInboundAsync(worker, tenant, conversation, "customer support");
        await ReplyAsync(worker, tenant, conversation);
        await AddInboundAsync(worker, tenant, conversation, "it's about my order");
        await ReplyAsync(worker, tenant, conversation);
        Assert.Equal("The customer asked for a person: Order problem.", await worker.Db.ScalarAsync<string>("SELECT handoff_reason FROM conversations"));
    }

    [Fact]
    public async Task A_button_of_a_flow_that_ended_starts_it_again_politely_and_a_lapsed_step_gives_the_turn_back_to_the_agent()
    {
        await using var worker = await KnowledgeHarness.CreateAsync(stores);
        var (tenant, conversation) = await SeedAsync(worker);
        await AddInboundAsync(worker, tenant, conversation, "customer service");
        await ReplyAsync(worker, tenant, conversation);
        var wamid = await SentAsync(worker, (Guid)(await OutboundAsync(worker))[0][5]!);
        await AddInboundAsync(worker, tenant, conversation, "cancel");
        await ReplyAsync(worker, tenant, conversation);

        await AddTapAsync(worker, tenant, conversation, wamid, "other", "Something else");
        await ReplyAsync(worker, tenant, conversation);

        var restart = (await OutboundAsync(worker))[2];
        Assert.Equal(AskedBy, restart[1]);
        Assert.StartsWith(GuidedFlows.ExpiredChoiceText, (string)restart[4]!);
        Assert.Equal(1, await worker.Db.CountAsync("flow_states"));

        // Unanswered past its time: the flow ends and the agent reads the next words afresh.
        await worker.Db.ExecuteAsync("UPDATE flow_states SET expires_at = now() - interval '1 minute'");
        await AddInboundAsync(worker, tenant, conversation, "Do you sell kites?");
        await ReplyAsync(worker, tenant, conversation);

        Assert.Equal(0, await worker.Db.CountAsync("flow_states"));
        Assert.NotEqual("Flow", (await OutboundAsync(worker))[3][2]);
    }

    [Fact]
    public async Task A_question_left_unanswered_ends_the_flow_politely_once_and_a_business_s_own_phrase_starts_it()
    {
        await using var worker = await KnowledgeHarness.CreateAsync(stores);
        var (tenant, conversation) = await SeedAsync(worker);
        await worker.Db.ExecuteAsync("""
            INSERT INTO agent_settings (tenant_id, enabled, handoff_on_request, handoff_keywords, handoff_message, updated_at, flow_triggers, synonyms)
            VALUES ($1, true, true, '{}', 'A person will reply.', now(), '{"talk-to-person": ["need a hand"]}', '{}')
            """, tenant);

        await AddInboundAsync(worker, tenant, conversation, "I need a hand with something");
        await ReplyAsync(worker, tenant, conversation);
        await LapseAsync(worker, tenant, conversation); // not yet lapsed: nothing happens

        // The question armed the step's end, at its expiry, in its transaction.
        var armed = Assert.Single(await worker.Db.RowsAsync(
            "SELECT w.state, w.due_at = f.expires_at FROM work_items w JOIN flow_states f ON w.subject_id = f.conversation_id WHERE w.dedupe_key = $1", "lapse:" + conversation));
        Assert.Equal(["Pending", true], armed);
        Assert.Equal(AskedBy, Assert.Single(await OutboundAsync(worker))[1]);

        await worker.Db.ExecuteAsync("UPDATE flow_states SET expires_at = now() - interval '1 minute'");
        await LapseAsync(worker, tenant, conversation);
        await LapseAsync(worker, tenant, conversation); // a second run finds nothing left to say

        var outbound = await OutboundAsync(worker);
        Assert.Equal(2, outbound.Count);
        Assert.Equal(["text", null, "Flow", null, GuidedFlows.LapsedText], outbound[1][..5]);
        Assert.Equal(0, await worker.Db.CountAsync("flow_states"));
    }

    [Fact]
    public async Task A_lapse_while_an_operator_holds_the_conversation_says_nothing_and_keeps_the_flow()
    {
        await using var worker = await KnowledgeHarness.CreateAsync(stores);
        var (tenant, conversation) = await SeedAsync(worker);
        await AddInboundAsync(worker, tenant, conversation, "customer service");
        await ReplyAsync(worker, tenant, conversation);
        await worker.Db.ExecuteAsync("UPDATE conversations SET state = 'Human'; UPDATE flow_states SET expires_at = now() - interval '1 minute'");

        await LapseAsync(worker, tenant, conversation);

        Assert.Single(await OutboundAsync(worker));
        Assert.Equal(1, await worker.Db.CountAsync("flow_states"));
    }

    private async Task LapseAsync(KnowledgeHarness worker, Guid tenant, Guid conversation)
    {
        await using var scope = worker.ScopeFor(tenant);
        var handler = scope.ServiceProvider.GetServices<IWorkHandler>().Single(h => h.Kind == WorkKind.FlowLapse);
        Assert.Equal(WorkResult.Done, await handler.HandleAsync(new WorkLease(Guid.NewGuid(), tenant, WorkKind.FlowLapse, conversation, 0, 0, Guid.NewGuid()), Ct));
    }

    /// <summary>Outbound messages oldest first: type, asked by, outcome, the turn replied to, text, id.</summary>
    private static Task<List<object?[]>> OutboundAsync(KnowledgeHarness worker) =>
        worker.Db.RowsAsync("SELECT type, asked_by, outcome, reply_to_turn, text, id FROM messages WHERE direction = 'Outbound' ORDER BY created_at, id");

    /// <summary>As the sender leaves a message once Graph took it: sent, with its wamid (the id a tap's context names).</summary>
    private static async Task<string> SentAsync(KnowledgeHarness worker, Guid message)
    {
        var wamid = MetaPayloads.NewWamid();
        await worker.Db.ExecuteAsync("UPDATE messages SET status = 'Sent', wa_message_id = $1 WHERE id = $2", wamid, message);
        return wamid;
    }

    private static async Task<(Guid Tenant, Guid Conversation)> SeedAsync(KnowledgeHarness worker)
    {
        var tenant = await worker.AddTenantAsync("Kite Corner");
        await using var db = TestStores.CreateDbContext(worker.Database, tenant);
        var now = DateTimeOffset.UtcNow;
        var connection = new WhatsAppConnection
        {
            TenantId = tenant, PhoneNumberId = "sandbox-" + Random.Shared.Next(100_000_000, 999_999_999), WabaId = "sandbox-waba",
            Kind = WhatsAppConnectionKind.Sandbox, CreatedAt = now,
        };
        var contact = new Contact { TenantId = tenant, ConnectionId = connection.Id, CustomerKey = ChannelHarness.Customer, WaId = ChannelHarness.Customer, CreatedAt = now };
        var conversation = new Conversation
        {
            TenantId = tenant, ConnectionId = connection.Id, ContactId = contact.Id, CreatedAt = now, LastInboundAt = now, WindowExpiresAt = now.AddHours(24),
        };
        db.AddRange(connection, contact, conversation);
        await db.SaveChangesAsync();
        return (tenant, conversation.Id);
    }

    private static async Task<Guid> AddInboundAsync(KnowledgeHarness worker, Guid tenant, Guid conversation, string text, string type = "text")
    {
        await using var db = TestStores.CreateDbContext(worker.Database, tenant);
        var message = new Message
        {
            TenantId = tenant, ConversationId = conversation, Direction = MessageDirection.Inbound, Author = MessageAuthor.Customer,
            Type = type, Text = type == "text" ? text : null, WaMessageId = MetaPayloads.NewWamid(), Status = MessageStatus.Received, CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Messages.Add(message);
        await db.SaveChangesAsync();
        return message.Id;
    }

    private static async Task AddTapAsync(KnowledgeHarness worker, Guid tenant, Guid conversation, string answered, string id, string title)
    {
        var tap = new JsonObject
        {
            ["from"] = ChannelHarness.Customer,
            ["id"] = MetaPayloads.NewWamid(),
            ["type"] = "interactive",
            ["context"] = new JsonObject { ["from"] = "15550783881", ["id"] = answered },
            ["interactive"] = new JsonObject { ["type"] = "button_reply", ["button_reply"] = new JsonObject { ["id"] = id, ["title"] = title } },
        };
        await using var db = TestStores.CreateDbContext(worker.Database, tenant);
        db.Messages.Add(new Message
        {
            TenantId = tenant, ConversationId = conversation, Direction = MessageDirection.Inbound, Author = MessageAuthor.Customer,
            Type = "interactive", Text = title, WaMessageId = tap["id"]!.GetValue<string>(), Payload = tap.ToJsonString(),
            Status = MessageStatus.Received, CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
    }

    private async Task ReplyAsync(KnowledgeHarness worker, Guid tenant, Guid conversation)
    {
        await using var scope = worker.ScopeFor(tenant);
        var handler = scope.ServiceProvider.GetServices<IWorkHandler>().Single(h => h.Kind == WorkKind.Reply);
        Assert.Equal(WorkResult.Done, await handler.HandleAsync(new WorkLease(Guid.NewGuid(), tenant, WorkKind.Reply, conversation, 0, 0, Guid.NewGuid()), Ct));
    }
}
