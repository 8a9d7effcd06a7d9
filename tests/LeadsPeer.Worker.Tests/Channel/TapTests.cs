using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Conversations.Interactive;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Core.Work;
using LeadsPeer.Testing;
using LeadsPeer.Worker.Tests.Knowledge;
using LeadsPeer.Worker.Work;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsPeer.Worker.Tests.Channel;

/// <summary>
/// Choices out and taps back: the sender posts an interactive message as Graph takes it, and a
/// customer's tap reaches the component that asked (keyed on the message it answers) instead of
/// the agent — once per turn; a tap on a message nobody asked is words for the agent.
/// </summary>
public sealed class TapTests(TestStores stores)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_list_goes_out_through_the_sender_as_Graph_takes_it_and_a_tap_on_it_is_a_turn_for_the_agent()
    {
        await using var channel = await ChannelHarness.CreateAsync(stores);
        await channel.StartWorkerAsync();
        await channel.DeliverTextAsync("What cakes do you have?");
        await channel.EventuallyAsync(() => Task.FromResult(channel.Graph.Sent.Count == 1), "the first turn is answered");

        var list = await channel.EnqueueInteractiveAsync(new InteractiveContent(
            InteractiveMessages.List, "Pick a cake", Button: "Cakes",
            Sections: [new ListSection("Chocolate", [new ListRow("fudge", "Fudge", "Dark chocolate, 1 kg")])]));
        await channel.EventuallyAsync(() => Task.FromResult(channel.Graph.Sent.Count == 2), "the list is sent");
        var sent = channel.Graph.Sent.Last();
        Assert.Equal(("interactive", "list", "fudge"), (sent["type"]!.GetValue<string>(), sent["interactive"]!["type"]!.GetValue<string>(),
            sent["interactive"]!["action"]!["sections"]![0]!["rows"]![0]!["id"]!.GetValue<string>()));
        await channel.EventuallyAsync(async () => await channel.Db.CountAsync("messages", "id = $1 AND status = 'Sent' AND wa_message_id IS NOT NULL", list) == 1,
            "the list is recorded as sent with its wamid");
        var wamid = await channel.Db.ScalarAsync<string>("SELECT wa_message_id FROM messages WHERE id = $1", list);

        await channel.DeliverAsync(Tap(channel.PhoneNumberId, wamid, "fudge", "Fudge"));

        // Nobody registered for the list: the agent answers the tap's title like any words.
        await channel.EventuallyAsync(() => Task.FromResult(channel.Graph.Sent.Count == 3), "the tap's turn is answered");
        await channel.QuiescentAsync();
        Assert.Equal(3, channel.Graph.Sent.Count);
        Assert.StartsWith(ChannelHarness.KnownAnswer, channel.Graph.Sent.Last()["text"]!["body"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_tap_reaches_the_component_that_asked_once_and_a_tap_on_a_message_nobody_asked_goes_to_the_agent()
    {
        var flow = new FlowRecord();
        await using var worker = await KnowledgeHarness.CreateAsync(stores, services: s => s.AddSingleton(flow).AddScoped<ITapHandler, RecordingFlow>());
        var tenant = await worker.AddTenantAsync("Garden Bakes");
        var (conversation, asked, unasked) = await SeedAsync(worker, tenant);
        var tap = await AddTapAsync(worker, tenant, conversation, asked.Wamid, "fudge-1kg", "Fudge 1 kg");

        await ReplyAsync(worker, tenant, conversation);
        await ReplyAsync(worker, tenant, conversation); // a retried run: the turn is answered already

        var routed = Assert.Single(flow.Taps);
        Assert.Equal((asked.Id, tap, "fudge-1kg", "Fudge 1 kg"), (routed.Asked.Id, routed.Inbound.Id, routed.Choice.Id, routed.Choice.Title));
        var reply = Assert.Single(await worker.Db.RowsAsync("SELECT text, reply_to_turn FROM messages WHERE direction = 'Outbound' AND status = 'Pending'"));
        Assert.Equal(["You chose Fudge 1 kg.", tap], reply);

        // A tap on the other message (nobody registered for it) is a turn for the agent.
        var second = await AddTapAsync(worker, tenant, conversation, unasked.Wamid, "later", "Later");
        await ReplyAsync(worker, tenant, conversation);
        Assert.Single(flow.Taps);
        var answer = Assert.Single(await worker.Db.RowsAsync("SELECT text FROM messages WHERE direction = 'Outbound' AND reply_to_turn = $1", second));
        Assert.DoesNotContain("You chose", (string)answer[0]!);
    }

    private static JsonObject Tap(string phoneNumberId, string answered, string id, string title)
    {
        var tap = MetaPayloads.Message(phoneNumberId, ChannelHarness.Customer, MetaPayloads.NewWamid(), new JsonObject
        {
            ["type"] = "interactive",
            ["interactive"] = new JsonObject { ["type"] = "list_reply", ["list_reply"] = new JsonObject { ["id"] = id, ["title"] = title } },
        });
        tap["entry"]![0]!["changes"]![0]!["value"]!["messages"]![0]!["context"] = new JsonObject { ["from"] = "15550783881", ["id"] = answered };
        return tap;
    }

    /// <summary>A conversation whose window is open, with two sent button messages: one asked by the flow, one by nobody.</summary>
    private static async Task<(Guid Conversation, (Guid Id, string Wamid) Asked, (Guid Id, string Wamid) Unasked)> SeedAsync(KnowledgeHarness worker, Guid tenant)
    {
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
        Message Buttons(string body, string id, string title, string? askedBy, int secondsAgo) => new()
        {
            TenantId = tenant, ConversationId = conversation.Id, Direction = MessageDirection.Outbound, Author = MessageAuthor.Agent,
            Type = "interactive", Text = body, WaMessageId = MetaPayloads.NewWamid(), Status = MessageStatus.Sent, AskedBy = askedBy,
            Payload = InteractiveMessages.ToGraph(new InteractiveContent(InteractiveMessages.Button, body, Buttons: [new ReplyButton(id, title)])).ToJsonString(),
            CreatedAt = now.AddSeconds(-secondsAgo),
        };
        var asked = Buttons("Which size?", "fudge-1kg", "Fudge 1 kg", RecordingFlow.FlowName, 60);
        var unasked = Buttons("Shall we call you?", "later", "Later", null, 30);
        db.AddRange(connection, contact, conversation, asked, unasked);
        await db.SaveChangesAsync();
        return (conversation.Id, (asked.Id, asked.WaMessageId!), (unasked.Id, unasked.WaMessageId!));
    }

    private static async Task<Guid> AddTapAsync(KnowledgeHarness worker, Guid tenant, Guid conversation, string answered, string id, string title)
    {
        await using var db = TestStores.CreateDbContext(worker.Database, tenant);
        var tap = Tap("unused", answered, id, title)["entry"]![0]!["changes"]![0]!["value"]!["messages"]![0]!;
        var message = new Message
        {
            TenantId = tenant, ConversationId = conversation, Direction = MessageDirection.Inbound, Author = MessageAuthor.Customer,
            Type = "interactive", Text = title, WaMessageId = tap["id"]!.GetValue<string>(), Payload = tap.ToJsonString(),
            Status = MessageStatus.Received, CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Messages.Add(message);
        await db.SaveChangesAsync();
        return message.Id;
    }

    private async Task ReplyAsync(KnowledgeHarness worker, Guid tenant, Guid conversation)
    {
        await using var scope = worker.ScopeFor(tenant);
        var handler = scope.ServiceProvider.GetServices<IWorkHandler>().Single(h => h.Kind == WorkKind.Reply);
        Assert.Equal(WorkResult.Done, await handler.HandleAsync(new WorkLease(Guid.NewGuid(), tenant, WorkKind.Reply, conversation, 0, 0, Guid.NewGuid()), Ct));
    }

    private sealed class FlowRecord
    {
        public ConcurrentQueue<Tap> Taps { get; } = new();
    }

    /// <summary>A guided flow as a real one is written: scoped, with the run's services; it answers the tap in the turn the tap made.</summary>
    private sealed class RecordingFlow(Outbox outbox, FlowRecord record) : ITapHandler
    {
        public const string FlowName = "test-flow";

        public string Name => FlowName;

        public async Task HandleAsync(Tap tap, CancellationToken cancellationToken)
        {
            record.Taps.Enqueue(tap);
            await outbox.EnqueueTextAsync(tap.Conversation, $"You chose {tap.Choice.Title}.", MessageAuthor.Agent, null, replyToTurn: tap.Inbound.Id, cancellationToken);
        }
    }
}
