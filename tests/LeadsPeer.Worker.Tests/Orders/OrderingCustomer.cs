using System.Text.Json.Nodes;
using LeadsPeer.Core.Catalog;
using LeadsPeer.Core.Ordering;
using LeadsPeer.Testing;
using LeadsPeer.Worker.Tests.Channel;

namespace LeadsPeer.Worker.Tests.Orders;

/// <summary>
/// The customer's phone in the ordering tests: writes and taps through Meta's webhook path and
/// reads what the Worker sent to Graph, one message per turn.
/// </summary>
internal sealed class OrderingCustomer(ChannelHarness channel)
{
    /// <summary>A bakery's catalog: cakes with two sizes, buns counted in stock; delivery to two areas or pickup.</summary>
    public static async Task<Dictionary<string, Guid>> SeedBakeryAsync(ChannelHarness channel, Action<OrderingSettings>? configure = null)
    {
        await using var db = TestStores.CreateDbContext(channel.DatabaseConnectionString, channel.TenantId);
        var now = DateTimeOffset.UtcNow;
        var settings = new OrderingSettings
        {
            TenantId = channel.TenantId, Enabled = true, Currency = "PKR", ReferencePrefix = "GTB", Delivery = true, Pickup = true,
            DeliveryFeeMinor = 20000, FreeDeliveryAboveMinor = 500000, DeliveryAreas = ["Garden Town", "Johar Town"], MinimumOrderMinor = 50000,
            PaymentMethods = [PaymentMethod.CashOnDelivery, PaymentMethod.BankTransfer], BankTransferDetails = "Meezan Bank, Garden Town Bakery, 0123-456789",
        };
        configure?.Invoke(settings);
        var cake = new Product { TenantId = channel.TenantId, Sku = "CAKE-FUDGE", Name = "Chocolate fudge cake", Category = "Cakes", CreatedAt = now, UpdatedAt = now };
        var products = new[]
        {
            cake,
            new Product { TenantId = channel.TenantId, Sku = "CAKE-FUDGE-1KG", Name = cake.Name, Category = "Cakes", ParentId = cake.Id, Variant = "1 kg", PriceMinor = 220000, CreatedAt = now, UpdatedAt = now },
            new Product { TenantId = channel.TenantId, Sku = "CAKE-FUDGE-2KG", Name = cake.Name, Category = "Cakes", ParentId = cake.Id, Variant = "2 kg", PriceMinor = 420000, Stock = 5, CreatedAt = now, UpdatedAt = now },
            new Product { TenantId = channel.TenantId, Sku = "BUN", Name = "Cinnamon bun", Category = "Buns", PriceMinor = 15000, Stock = 10, CreatedAt = now, UpdatedAt = now },
            new Product { TenantId = channel.TenantId, Sku = "ROLL", Name = "Bread roll", Category = "Buns", PriceMinor = 4000, Available = false, CreatedAt = now, UpdatedAt = now },
        };
        db.OrderingSettings.Add(settings);
        db.Products.AddRange(products);
        await db.SaveChangesAsync();
        return products.ToDictionary(p => p.Sku, p => p.Id);
    }

    /// <summary>Writes, and waits for the one reply.</summary>
    public async Task<JsonObject> SayAsync(string text)
    {
        var before = channel.Graph.Sent.Count;
        await channel.DeliverTextAsync(text);
        return await ReplyAsync(before);
    }

    /// <summary>Sends a cart from the business's Meta catalog (an <c>order</c> message), and waits for the one reply.</summary>
    public async Task<JsonObject> SendCartAsync(params (string Sku, object Quantity, object Price)[] items)
    {
        var order = new JsonObject
        {
            ["catalog_id"] = "1204876330411024",
            ["text"] = "",
            ["product_items"] = new JsonArray([.. items.Select(i => (JsonNode)new JsonObject
            {
                ["product_retailer_id"] = i.Sku, ["quantity"] = JsonValue.Create(i.Quantity), ["item_price"] = JsonValue.Create(i.Price), ["currency"] = "PKR",
            })]),
        };
        var before = channel.Graph.Sent.Count;
        await channel.DeliverAsync(MetaPayloads.Message(channel.PhoneNumberId, ChannelHarness.Customer, MetaPayloads.NewWamid(), new JsonObject { ["type"] = "order", ["order"] = order }));
        return await ReplyAsync(before);
    }

    /// <summary>Taps the choice whose id is (or starts with) <paramref name="id"/> on <paramref name="asked"/>, and waits for the one reply.</summary>
    public async Task<JsonObject> TapAsync(JsonObject asked, string id)
    {
        var (choice, title) = Choices(asked).First(c => c.Id == id || c.Id.StartsWith(id, StringComparison.Ordinal));
        var wamid = await channel.Db.ScalarAsync<string>("SELECT wa_message_id FROM messages WHERE direction = 'Outbound' AND text = $1 ORDER BY created_at DESC LIMIT 1", Body(asked));
        var list = asked["interactive"]!["type"]!.GetValue<string>() == "list";
        var tap = MetaPayloads.Message(channel.PhoneNumberId, ChannelHarness.Customer, MetaPayloads.NewWamid(), new JsonObject
        {
            ["type"] = "interactive",
            ["interactive"] = list
                ? new JsonObject { ["type"] = "list_reply", ["list_reply"] = new JsonObject { ["id"] = choice, ["title"] = title } }
                : new JsonObject { ["type"] = "button_reply", ["button_reply"] = new JsonObject { ["id"] = choice, ["title"] = title } },
        });
        tap["entry"]![0]!["changes"]![0]!["value"]!["messages"]![0]!["context"] = new JsonObject { ["from"] = "15550783881", ["id"] = wamid };
        var before = channel.Graph.Sent.Count;
        await channel.DeliverAsync(tap);
        return await ReplyAsync(before);
    }

    public static string Body(JsonObject sent) =>
        sent["type"]!.GetValue<string>() == "text" ? sent["text"]!["body"]!.GetValue<string>() : sent["interactive"]!["body"]!["text"]!.GetValue<string>();

    public static IReadOnlyList<(string Id, string Title)> Choices(JsonObject sent)
    {
        var action = sent["interactive"]!["action"]!;
        return action["buttons"] is JsonArray buttons
            ? [.. buttons.Select(b => (b!["reply"]!["id"]!.GetValue<string>(), b["reply"]!["title"]!.GetValue<string>()))]
            : [.. action["sections"]!.AsArray().SelectMany(s => s!["rows"]!.AsArray()).Select(r => (r!["id"]!.GetValue<string>(), r["title"]!.GetValue<string>()))];
    }

    /// <summary>Waits for the next message the business sends after the first <paramref name="before"/> (one it sends on its own, a reminder).</summary>
    public Task<JsonObject> NextSentAsync(int before) => ReplyAsync(before);

    private async Task<JsonObject> ReplyAsync(int before)
    {
        await channel.EventuallyAsync(() => Task.FromResult(channel.Graph.Sent.Count > before), "the turn is answered");
        // Recorded as sent (with its wamid) before the customer can tap it.
        await channel.EventuallyAsync(async () => await channel.Db.CountAsync("messages", "direction = 'Outbound' AND wa_message_id IS NULL") == 0, "the reply is recorded as sent");
        return channel.Graph.Sent.ElementAt(before);
    }
}
