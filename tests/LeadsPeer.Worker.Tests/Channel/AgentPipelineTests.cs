using System.Text.Json;
using LeadsPeer.Core.Agent;
using LeadsPeer.Testing;
using LeadsPeer.Worker.Tests.Knowledge;

namespace LeadsPeer.Worker.Tests.Channel;

/// <summary>The agent inside the real Worker process: answers with their sources, the model's handoff, a model that is down.</summary>
public sealed class AgentPipelineTests(TestStores stores) : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    [Fact]
    public async Task An_answer_is_sent_with_snapshots_of_its_sources_that_outlive_the_document()
    {
        var channel = Own(await ChannelHarness.CreateAsync(stores));
        await channel.StartWorkerAsync();

        await channel.DeliverTextAsync("How fast do you answer?");
        await channel.EventuallyAsync(() => Task.FromResult(!channel.Graph.Sent.IsEmpty), "the answer is sent");
        await channel.Db.ExecuteAsync("DELETE FROM knowledge_documents");

        Assert.StartsWith(ChannelHarness.KnownAnswer, Assert.Single(channel.Graph.Sent)["text"]!["body"]!.GetValue<string>());
        var sources = JsonDocument.Parse(await channel.Db.ScalarAsync<string>("SELECT sources::text FROM messages WHERE author = 'Agent'")).RootElement;
        var source = Assert.Single(sources.EnumerateArray());
        Assert.Equal("How fast do you answer?", source.GetProperty("documentName").GetString());
        Assert.Contains(ChannelHarness.KnownAnswer, source.GetProperty("excerpt").GetString());
        Assert.Equal(0, await channel.Db.CountAsync("knowledge_chunks"));
    }

    [Fact]
    public async Task The_organisations_greeting_opens_the_agents_first_reply_only_and_a_switched_off_agent_hands_every_turn_over()
    {
        var channel = Own(await ChannelHarness.CreateAsync(stores));
        await channel.Db.ExecuteAsync("""
            INSERT INTO agent_settings (tenant_id, enabled, handoff_on_request, handoff_keywords, handoff_message, greeting, updated_at)
            VALUES ($1, true, true, '{}', 'Someone from Acme will reply soon.', 'Hi, this is Acme Bikes!', now())
            """, channel.TenantId);
        await channel.StartWorkerAsync();

        await channel.DeliverTextAsync("How fast do you answer?");
        await channel.EventuallyAsync(() => Task.FromResult(channel.Graph.Sent.Count == 1), "the first answer is sent");
        await channel.DeliverTextAsync("And how fast do you answer on weekends?");
        await channel.EventuallyAsync(() => Task.FromResult(channel.Graph.Sent.Count == 2), "the second answer is sent");
        await channel.Db.ExecuteAsync("UPDATE agent_settings SET enabled = false");
        await channel.DeliverTextAsync("Thanks!");
        await channel.EventuallyAsync(async () => await channel.Db.CountAsync("conversations", "state = 'NeedsHuman'") == 1, "the turn goes to the operators");
        await channel.EventuallyAsync(() => Task.FromResult(channel.Graph.Sent.Count == 3), "the customer is told");

        var bodies = channel.Graph.Sent.Select(s => s["text"]!["body"]!.GetValue<string>()).ToList();
        Assert.StartsWith("Hi, this is Acme Bikes!\n\n" + ChannelHarness.KnownAnswer, bodies[0]);
        Assert.StartsWith(ChannelHarness.KnownAnswer, bodies[1]);
        Assert.Equal("Someone from Acme will reply soon.", bodies[2]);
        Assert.Equal("The AI agent is switched off.", await channel.Db.ScalarAsync<string>("SELECT handoff_reason FROM conversations"));
    }

    [Fact]
    public async Task A_hand_off_call_from_the_model_hands_the_conversation_to_the_operators_and_tells_the_customer()
    {
        var ai = Own(await OpenAiStub.StartAsync(dimensions: 16));
        ai.ChatAnswers.Enqueue((null, "agent-hand_off", JsonSerializer.Serialize(new { reason = "The customer wants to cancel an order." })));
        var channel = Own(await ChannelHarness.CreateAsync(stores, more: KnowledgeHarness.OpenAi(ai)));
        await channel.StartWorkerAsync();

        await channel.DeliverTextAsync("Please cancel my order from yesterday");
        await channel.EventuallyAsync(async () => await channel.Db.CountAsync("conversations", "state = 'NeedsHuman'") == 1, "the conversation waits for a human");
        await channel.EventuallyAsync(() => Task.FromResult(!channel.Graph.Sent.IsEmpty), "the customer is told");
        await channel.QuiescentAsync();

        Assert.Equal("The customer wants to cancel an order.", await channel.Db.ScalarAsync<string>("SELECT handoff_reason FROM conversations"));
        Assert.Equal(AgentSettings.DefaultHandoffMessage, Assert.Single(channel.Graph.Sent)["text"]!["body"]!.GetValue<string>());
        Assert.Equal(1, await channel.Db.CountAsync("audit_entries", "action = 'conversation.handoff'"));
        Assert.Single(ai.ChatRequests);
    }

    [Fact]
    public async Task A_message_that_arrives_while_the_answer_is_prepared_is_answered_with_its_turn_once()
    {
        var ai = Own(await OpenAiStub.StartAsync(dimensions: 16));
        ai.ChatAnswers.Enqueue(("An answer to the first message only.", null, null));
        ai.ChatAnswers.Enqueue(("Yes: the blue one comes in size M.", null, null));
        var channel = Own(await ChannelHarness.CreateAsync(stores, more: KnowledgeHarness.OpenAi(ai)));
        var wrote = 0;
        ai.BeforeChatAnswer = async () =>
        {
            if (Interlocked.Exchange(ref wrote, 1) == 0)
            {
                await channel.DeliverTextAsync("the blue one, in size M?");
            }
        };
        await channel.StartWorkerAsync();

        await channel.DeliverTextAsync("Do you have the jacket");
        await channel.EventuallyAsync(() => Task.FromResult(!channel.Graph.Sent.IsEmpty), "the turn is answered");
        await channel.QuiescentAsync();

        Assert.Equal("Yes: the blue one comes in size M.", Assert.Single(channel.Graph.Sent)["text"]!["body"]!.GetValue<string>());
        Assert.Equal(2, ai.ChatRequests.Count);
        var secondPrompt = ai.ChatRequests.Last()["messages"]!.AsArray()[^1]!["content"]!.GetValue<string>();
        Assert.Equal("Do you have the jacket\nthe blue one, in size M?", secondPrompt);
    }

    [Fact]
    public async Task A_model_that_keeps_failing_hands_the_turn_to_the_operators_instead_of_leaving_it_unanswered()
    {
        var channel = Own(await ChannelHarness.CreateAsync(stores, more: new Dictionary<string, string>
        {
            ["AI:Provider"] = "OpenAI",
            ["AI:Endpoint"] = $"http://127.0.0.1:{Ports.Free()}/v1", // nothing listens there
            ["AI:ApiKey"] = OpenAiStub.ApiKey,
            ["AI:EmbeddingDimensions"] = "16",
        }));
        await channel.StartWorkerAsync();

        await channel.DeliverTextAsync("Do you sell gift cards?");

        await channel.EventuallyAsync(async () => await channel.Db.CountAsync("conversations", "state = 'NeedsHuman'") == 1, "the turn goes to the operators", seconds: 60);
        Assert.Contains("could not prepare an answer", await channel.Db.ScalarAsync<string>("SELECT handoff_reason FROM conversations"));
        await channel.EventuallyAsync(() => Task.FromResult(!channel.Graph.Sent.IsEmpty), "the customer is told");
    }

    private T Own<T>(T disposable) where T : IAsyncDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }
    }
}
