using System.Text.Json;
using System.Text.Json.Nodes;
using LeadsPeer.Testing;
using LeadsPeer.Worker.Tests.Channel;
using LeadsPeer.Worker.Tests.Knowledge;
using static LeadsPeer.Worker.Tests.Orders.OrderingCustomer;

namespace LeadsPeer.Worker.Tests.Orders;

/// <summary>
/// Ordering through a language model's tools, in the Worker process against the OpenAI stub: the
/// model finds products and fills the cart with the same Core services as the guided flow, the
/// customer checks out in the flow with the server's total, and a price the model names that no
/// tool returned is never sent.
/// </summary>
public sealed class OrderingToolsTests(TestStores stores) : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    /// <summary>A tool call by the name the model is offered (the plugin's name, then the function's).</summary>
    private static (string?, string?, string?) Call(string tool, object arguments) => (null, $"ordering_{tool}", JsonSerializer.Serialize(arguments));

    private async Task<(ChannelHarness Channel, OpenAiStub Ai)> StartAsync()
    {
        var ai = Own(await OpenAiStub.StartAsync(dimensions: 16));
        var channel = Own(await ChannelHarness.CreateAsync(stores, more: KnowledgeHarness.OpenAi(ai)));
        await SeedBakeryAsync(channel);
        await channel.StartWorkerAsync();
        return (channel, ai);
    }

    [Fact]
    public async Task The_model_fills_the_cart_with_the_tools_and_the_customer_checks_out_in_the_flow_with_the_servers_total()
    {
        var (channel, ai) = await StartAsync();
        ai.ChatAnswers.Enqueue(Call("search_products", new { query = "chocolate cake" }));
        ai.ChatAnswers.Enqueue(Call("add_to_cart", new { sku = "CAKE-FUDGE-2KG", quantity = 2 }));
        ai.ChatAnswers.Enqueue(Call("add_to_cart", new { sku = "CAKE-FUDGE", quantity = 1 })); // the product, not an option: refused
        ai.ChatAnswers.Enqueue(Call("checkout", new { }));
        ai.ChatAnswers.Enqueue(("Lovely! Two big cakes, that will be PKR 8,000.", null, null)); // never sent: the flow answers

        var reply = await new OrderingCustomer(channel).SayAsync("Could I get two of the big chocolate fudge cakes?");

        // Checkout at once: delivery is free above the business's amount, computed by the server.
        Assert.Equal("Delivery (free) or pickup?", Body(reply));
        Assert.Equal(["delivery", "pickup", "stop"], Choices(reply).Select(c => c.Id));
        Assert.Equal(["Flow", "The AI built the cart with its ordering tools; the customer checks out in the ordering flow. The order flow asked (fulfilment)."],
            (await channel.Db.RowsAsync("SELECT outcome, outcome_reason FROM messages WHERE direction = 'Outbound'")).Single());
        Assert.Equal("fulfilment", await channel.Db.ScalarAsync<string>("SELECT step FROM flow_states"));
        Assert.DoesNotContain(channel.Graph.Sent, m => m.ToJsonString().Contains("8,000"));

        // What the tools answered is what the model read: SKUs and prices from the catalog, the cart priced by CartPricing.
        var requests = ai.ChatRequests.ToList();
        Assert.Equal(5, requests.Count);
        Assert.Equal(0, ai.InvalidRequests);
        Assert.Contains(requests[0]["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()), n => n == "ordering_add_to_cart");
        Assert.Contains("SKU CAKE-FUDGE-2KG: Chocolate fudge cake (2 kg) — PKR 4,200.00 (5 left)", ToolResults(requests[1]));
        Assert.Contains("The cart now:\n2 × Chocolate fudge cake (2 kg) — PKR 8,400.00", ToolResults(requests[2]));
        Assert.Contains("comes in options", ToolResults(requests[3]));
        Assert.Contains("add_to_cart with each product's SKU", OpenAiStub.PromptText(requests[0]));

        // The rest is the guided flow's: pickup, payment, confirmation — one order at the server's total.
        var phone = new OrderingCustomer(channel);
        var when = await phone.TapAsync(reply, "pickup");
        var payment = await phone.SayAsync("Saturday 11 am");
        var summary = await phone.TapAsync(payment, "pay:CashOnDelivery");
        Assert.Contains("*Total — PKR 8,400.00*", Body(summary));
        Assert.StartsWith("Thank you! Your order *GTB-1001* is placed.", Body(await phone.TapAsync(summary, "ok:")));
        Assert.Equal(840000L, await channel.Db.ScalarAsync<long>("SELECT total_minor FROM orders"));
        Assert.Contains("collect", Body(when));
        await channel.QuiescentAsync();
    }

    [Fact]
    public async Task A_price_the_tools_returned_is_answered_one_they_did_not_is_not_sent_and_order_status_reads_the_customers_own_orders()
    {
        var (channel, ai) = await StartAsync();
        var phone = new OrderingCustomer(channel);
        ai.ChatAnswers.Enqueue(Call("search_products", new { query = "cinnamon bun" }));
        ai.ChatAnswers.Enqueue(("Our cinnamon buns are PKR 150 each, and we have 10 left.", null, null));
        ai.ChatAnswers.Enqueue(Call("order_status", new { }));
        ai.ChatAnswers.Enqueue(("You have no orders with us yet.", null, null));
        ai.ChatAnswers.Enqueue(Call("search_products", new { query = "cinnamon bun" }));
        ai.ChatAnswers.Enqueue(("They are PKR 120 today.", null, null));

        Assert.Equal("Our cinnamon buns are PKR 150 each, and we have 10 left.", Body(await phone.SayAsync("How much are your cinnamon buns?")));
        // A reference in the words is the order lookup's before the model's; without one, the model asks its tool.
        Assert.Equal("You have no orders with us yet.", Body(await phone.SayAsync("Did my cake leave the bakery?")));
        Assert.Contains("This customer has no orders.", ToolResults(ai.ChatRequests.ElementAt(3)));
        await phone.SayAsync("And the buns, any offer on them?");

        var last = (await channel.Db.RowsAsync("SELECT outcome, outcome_reason FROM messages WHERE direction = 'Outbound' ORDER BY created_at DESC LIMIT 1")).Single();
        Assert.Equal(["HandOff", "The AI's answer named the price 120, which the knowledge does not: not sent."], last);
        Assert.DoesNotContain(channel.Graph.Sent, m => m.ToJsonString().Contains("PKR 120"));
        Assert.Equal(0, await channel.Db.CountAsync("flow_states"));
        Assert.Equal(0, ai.InvalidRequests);
        await channel.QuiescentAsync();
    }

    [Fact]
    public async Task Asked_to_order_without_items_the_model_starts_the_ordering_flow_at_the_catalog()
    {
        var (channel, ai) = await StartAsync();
        ai.ChatAnswers.Enqueue(Call("start_ordering", new { }));
        ai.ChatAnswers.Enqueue(("Sure!", null, null));

        var reply = await new OrderingCustomer(channel).SayAsync("What could I get from you for the weekend?");

        Assert.Equal(["Buns", "Cakes"], Choices(reply).Select(c => c.Title));
        Assert.Equal(["Flow", "The customer wants to order: the AI started the ordering flow. The order flow asked (category)."],
            (await channel.Db.RowsAsync("SELECT outcome, outcome_reason FROM messages WHERE direction = 'Outbound'")).Single());
        Assert.Equal(["order", "category"], (await channel.Db.RowsAsync("SELECT flow, step FROM flow_states")).Single());
        Assert.DoesNotContain(channel.Graph.Sent, m => m.ToJsonString().Contains("Sure!"));
        await channel.QuiescentAsync();
    }

    /// <summary>The tool results a request carried back to the model.</summary>
    internal static string ToolResults(JsonObject request) =>
        string.Join("\n", request["messages"]!.AsArray().Where(m => m!["role"]!.GetValue<string>() == "tool").Select(m => m!["content"] switch
        {
            JsonValue value => value.GetValue<string>(),
            JsonArray parts => string.Concat(parts.Select(p => p!["text"]?.GetValue<string>())),
            _ => "",
        }));

    private T Own<T>(T owned) where T : IAsyncDisposable
    {
        _owned.Add(owned);
        return owned;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }
    }
}
