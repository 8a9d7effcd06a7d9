using LeadsPeer.Core.Orders;
using LeadsPeer.Testing;
using LeadsPeer.Worker.Tests.Channel;
using static LeadsPeer.Worker.Tests.Orders.OrderingCustomer;

namespace LeadsPeer.Worker.Tests.Orders;

/// <summary>
/// Ordering on WhatsApp through the Worker process and the Graph stub: a customer orders by taps
/// or typed words (or sends a cart from the Meta catalog), sees every line, the fee and the total
/// the server computed, confirms once (a second tap finds the same order), and asks where the
/// order is — their own orders only; an operator who takes over mid-order sees the cart.
/// </summary>
public sealed class OrderingFlowTests(TestStores stores)
{
    [Fact]
    public async Task A_customer_orders_by_taps_sees_the_server_total_confirms_once_asks_where_the_order_is_and_a_Meta_cart_is_priced_from_our_catalog()
    {
        await using var channel = await ChannelHarness.CreateAsync(stores);
        var sku = await SeedBakeryAsync(channel);
        await channel.StartWorkerAsync();
        var phone = new OrderingCustomer(channel);

        var categories = await phone.SayAsync("Hi! I'd like to order");
        Assert.Equal(["Buns", "Cakes"], Choices(categories).Select(c => c.Title));
        var cakes = await phone.TapAsync(categories, "c:Cakes");
        Assert.Equal([($"p:{sku["CAKE-FUDGE"]:N}", "Chocolate fudge cake")], Choices(cakes));
        var sizes = await phone.TapAsync(cakes, "p:");
        Assert.Contains("2 kg — PKR 4,200.00", Body(sizes));
        var howMany = await phone.TapAsync(sizes, $"v:{sku["CAKE-FUDGE-2KG"]:N}");
        var cart = await phone.TapAsync(howMany, "q:2");
        Assert.StartsWith("Added 2 × Chocolate fudge cake (2 kg).", Body(cart));
        Assert.Contains("*Total — PKR 8,400.00*", Body(cart));

        var how = await phone.TapAsync(cart, "checkout");
        Assert.Contains("Delivery (free)", Body(how)); // 8,400 is above the free-delivery amount
        var area = await phone.TapAsync(how, "delivery");
        var address = await phone.TapAsync(area, "a:1");
        Assert.Contains("in Johar Town", Body(address));
        var payment = await phone.SayAsync("House 12, Street 4, near the park");
        var summary = await phone.TapAsync(payment, "pay:BankTransfer");
        Assert.Equal("""
            Please check your order:
            2 × Chocolate fudge cake (2 kg) — PKR 8,400.00
            Delivery — free
            *Total — PKR 8,400.00*
            Delivery to: House 12, Street 4, near the park, Johar Town
            Payment: Bank transfer
            """.ReplaceLineEndings("\n"), Body(summary));

        var placed = await phone.TapAsync(summary, "ok:");
        Assert.StartsWith("Thank you! Your order *GTB-1001* is placed.", Body(placed));
        Assert.Contains("Meezan Bank", Body(placed));
        Assert.Equal(["GTB-1001", "New", "Delivery", "Johar Town", "BankTransfer", 840000L, 0L, 840000L, "Sheena Nelson"],
            (await channel.Db.RowsAsync("SELECT reference, status, fulfilment, delivery_area, payment_method, subtotal_minor, delivery_fee_minor, total_minor, customer_name FROM orders")).Single());
        Assert.Equal(3, await channel.Db.ScalarAsync<int>("SELECT stock FROM products WHERE sku = 'CAKE-FUDGE-2KG'"));
        Assert.Equal(0, await channel.Db.CountAsync("flow_states"));

        // A second tap on Confirm: the same order, told again; nothing more is taken.
        var again = await phone.TapAsync(summary, "ok:");
        Assert.Equal("Your order GTB-1001 is already placed; it is received.", Body(again));
        Assert.Equal(1, await channel.Db.CountAsync("orders"));
        Assert.Equal(3, await channel.Db.ScalarAsync<int>("SELECT stock FROM products WHERE sku = 'CAKE-FUDGE-2KG'"));

        Assert.StartsWith("Order GTB-1001 (PKR 8,400.00,", Body(await phone.SayAsync("Where is my order?")));
        // Another customer's order is "not found", exactly like one that does not exist.
        await channel.Db.ExecuteAsync("""
            INSERT INTO contacts (id, tenant_id, connection_id, customer_key, wa_id, created_at) SELECT gen_random_uuid(), tenant_id, connection_id, '16505550000', '16505550000', now() FROM contacts;
            """);
        await channel.Db.ExecuteAsync("""
            INSERT INTO orders (id, tenant_id, reference, cart_id, contact_id, status, fulfilment, payment_method, currency, subtotal_minor, delivery_fee_minor, total_minor, created_at, updated_at)
            SELECT gen_random_uuid(), tenant_id, 'GTB-1002', gen_random_uuid(), id, 'New', 'Pickup', 'CashOnDelivery', 'PKR', 100, 0, 100, now(), now() FROM contacts WHERE wa_id = '16505550000'
            """);
        Assert.Equal("I couldn't find an order GTB-1002 for this number. Please check the reference.", Body(await phone.SayAsync("status GTB-1002")));
        Assert.Equal("I couldn't find an order GTB-1003 for this number. Please check the reference.", Body(await phone.SayAsync("GTB-1003")));

        // Later the customer sends a cart from the business's Meta catalog: Meta showed the bun at 120
        // and carried an item we do not sell; quantities come as text or numbers. Our prices and stock decide.
        var fromMeta = await phone.SendCartAsync(("BUN", "3", 120), ("CAKE-FUDGE-2KG", 9, "4200.00"), ("TEAPOT", 1, 10));
        Assert.StartsWith("Cinnamon bun is PKR 150.00 each. Only 3 of Chocolate fudge cake (2 kg) are left. We don't have TEAPOT at the moment.", Body(fromMeta));
        Assert.Contains("3 × Cinnamon bun — PKR 450.00", Body(fromMeta));
        Assert.Contains("3 × Chocolate fudge cake (2 kg) — PKR 12,600.00", Body(fromMeta));
        Assert.Equal(["add", "checkout", "change"], Choices(fromMeta).Select(c => c.Id));
        Assert.Equal("cart", await channel.Db.ScalarAsync<string>("SELECT step FROM flow_states"));
        Assert.Equal(1, await channel.Db.CountAsync("orders", "contact_id = (SELECT id FROM contacts WHERE wa_id = $1)", ChannelHarness.Customer)); // nothing ordered yet
        await channel.QuiescentAsync();
    }

    [Fact]
    public async Task A_request_naming_a_catalog_item_starts_ordering_without_the_word_order_and_a_question_about_it_does_not()
    {
        await using var channel = await ChannelHarness.CreateAsync(stores);
        await SeedBakeryAsync(channel);
        await channel.StartWorkerAsync();
        var phone = new OrderingCustomer(channel);

        Assert.StartsWith("Added 2 × Cinnamon bun.", Body(await phone.SayAsync("Send me 2 cinnamon buns please")));
        Assert.Equal(Core.Flows.GuidedFlows.LeftText, Body(await phone.SayAsync("cancel")));

        // Other words around the item: the item is still read, and its options asked for.
        var sizes = await phone.SayAsync("Please deliver one chocolate fudge cake to my house tomorrow");
        Assert.Equal(["1 kg", "2 kg"], Choices(sizes).Select(c => c.Title));
        Assert.Equal(Core.Flows.GuidedFlows.LeftText, Body(await phone.SayAsync("cancel")));

        // Asked about, not asked for: the agent answers and no flow starts.
        Assert.StartsWith(ChannelHarness.KnownAnswer, Body(await phone.SayAsync("How much are the cinnamon buns?")));
        Assert.Equal(0, await channel.Db.CountAsync("flow_states"));
    }

    [Fact]
    public async Task Several_items_typed_at_once_go_in_the_cart_together_and_when_one_cannot_none_does()
    {
        await using var channel = await ChannelHarness.CreateAsync(stores);
        await SeedBakeryAsync(channel);
        await channel.Db.ExecuteAsync("""
            INSERT INTO products (id, tenant_id, sku, name, category, price_minor, available, created_at, updated_at)
            SELECT gen_random_uuid(), tenant_id, 'LOAF', 'Sourdough loaf', 'Bread', 45000, true, now(), now() FROM products LIMIT 1
            """);
        await channel.StartWorkerAsync();
        var phone = new OrderingCustomer(channel);

        // More buns than the 10 in stock: nothing of the message goes in the cart, and the customer is told why.
        Assert.StartsWith("Only 10 of Cinnamon bun are left.", Body(await phone.SayAsync("I'd like to order 12 cinnamon buns and a sourdough loaf")));
        Assert.Equal("", await channel.Db.ScalarAsync<string>("SELECT coalesce(data::jsonb ->> 'cart', '') FROM flow_states"));

        var cart = await phone.SayAsync("3 cinnamon buns and a sourdough loaf");
        Assert.StartsWith("Added 3 × Cinnamon bun and 1 × Sourdough loaf.", Body(cart));
        Assert.Contains("3 × Cinnamon bun — PKR 450.00", Body(cart));
        Assert.Contains("1 × Sourdough loaf — PKR 450.00", Body(cart));

        // Roman Urdu: "do" (two) opening an item and "char" (four) are how many, "chahiye" asks for them.
        Assert.Equal(OrderingFlow.StoppedText, Body(await phone.SayAsync("cancel order")));
        Assert.StartsWith("Added 2 × Sourdough loaf and 4 × Cinnamon bun.", Body(await phone.SayAsync("do sourdough aur char cinnamon bun chahiye")));
    }

    [Fact]
    public async Task Typed_items_are_taken_when_they_name_one_product_an_operator_mid_order_sees_the_cart_a_price_change_is_shown_and_the_minimum_holds()
    {
        await using var channel = await ChannelHarness.CreateAsync(stores);
        await SeedBakeryAsync(channel);
        await channel.StartWorkerAsync();
        var phone = new OrderingCustomer(channel);

        // "cake" names a product with options: asked which, never guessed.
        var sizes = await phone.SayAsync("I want to order a chocolate cake");
        Assert.Equal(["1 kg", "2 kg"], Choices(sizes).Select(c => c.Title));
        Assert.Equal(Core.Flows.GuidedFlows.LeftText, Body(await phone.SayAsync("cancel")));
        Assert.Equal(0, await channel.Db.CountAsync("flow_states"));

        var cart = await phone.SayAsync("I'd like to order 3 cinnamon buns");
        Assert.StartsWith("Added 3 × Cinnamon bun.", Body(cart));

        // An operator takes the conversation mid-order: they see the cart, and the customer's words wait for them.
        await channel.Db.ExecuteAsync("UPDATE conversations SET state = 'Human'");
        var sent = channel.Graph.Sent.Count;
        await channel.DeliverTextAsync("checkout");
        await channel.QuiescentAsync();
        Assert.Equal(sent, channel.Graph.Sent.Count);
        await using (var db = TestStores.CreateDbContext(channel.DatabaseConnectionString, channel.TenantId))
        {
            var seen = await new OrderQueries(db, new CartPricing(db))
                .CartInFlowAsync(await channel.Db.ScalarAsync<Guid>("SELECT id FROM conversations"), TestContext.Current.CancellationToken);
            Assert.Equal(("cart", "PKR 450.00"), (seen!.Step, seen.Subtotal));
            Assert.Equal(["3 × Cinnamon bun — PKR 450.00"], seen.Lines);
        }

        // Handed back, the flow goes on from its step.
        await channel.Db.ExecuteAsync("UPDATE conversations SET state = 'Ai'");
        var tooLittle = await phone.TapAsync(cart, "checkout");
        Assert.StartsWith("The minimum order is PKR 500.00", Body(tooLittle));
        var more = await phone.SayAsync("add");
        var buns = await phone.TapAsync(more, "c:Buns");
        Assert.Equal(["Cinnamon bun"], Choices(buns).Select(c => c.Title)); // the bread roll is switched off
        Assert.StartsWith("How many Cinnamon bun (PKR 150.00 each)?", Body(await phone.TapAsync(buns, "p:")));
        var fuller = await phone.SayAsync("two");
        Assert.Contains("5 × Cinnamon bun — PKR 750.00", Body(fuller));

        var how = await phone.TapAsync(fuller, "checkout");
        Assert.Contains("Delivery (PKR 200.00)", Body(how));
        Assert.StartsWith("When will you collect it?", Body(await phone.SayAsync("pickup")));
        Assert.Equal(["Cash on delivery", "Bank transfer"], Choices(await phone.SayAsync("Friday 5 pm")).Select(c => c.Title));
        var summary = await phone.SayAsync("Cash on delivery");
        Assert.Contains("*Total — PKR 750.00*", Body(summary));
        Assert.Contains("Pickup: Friday 5 pm", Body(summary));

        // The business raises the price before the customer confirms: they see the new total first.
        await channel.Db.ExecuteAsync("UPDATE products SET price_minor = 17500 WHERE sku = 'BUN'");
        var repriced = await phone.TapAsync(summary, "ok:");
        Assert.StartsWith("The prices changed since you saw the total: it is now PKR 875.00.", Body(repriced));
        Assert.Equal(0, await channel.Db.CountAsync("orders"));
        var placed = await phone.SayAsync("yes");
        Assert.StartsWith("Thank you! Your order *GTB-1001* is placed.", Body(placed));
        Assert.Equal(["Pickup", "Friday 5 pm", 87500L, 5], (await channel.Db.RowsAsync(
            "SELECT o.fulfilment, o.pickup_time, o.total_minor, l.quantity FROM orders o JOIN order_lines l ON l.order_id = o.id")).Single());
        Assert.Equal(5, await channel.Db.ScalarAsync<int>("SELECT stock FROM products WHERE sku = 'BUN'"));
    }

    [Fact]
    public async Task With_a_Meta_catalog_linked_products_go_as_WhatsApps_product_list_and_a_cart_sent_mid_order_joins_the_cart()
    {
        await using var channel = await ChannelHarness.CreateAsync(stores);
        await SeedBakeryAsync(channel, settings => settings.MetaCatalogId = "1204876330411024");
        await channel.StartWorkerAsync();
        var phone = new OrderingCustomer(channel);

        var categories = await phone.SayAsync("I'd like to order");
        var buns = await phone.TapAsync(categories, "c:Buns");
        // The switched-off roll is not offered; the list names our SKUs in the linked catalog.
        Assert.Equal("product_list", buns["interactive"]!["type"]!.GetValue<string>());
        Assert.Equal("Buns", buns["interactive"]!["header"]!["text"]!.GetValue<string>());
        Assert.Equal("1204876330411024", buns["interactive"]!["action"]!["catalog_id"]!.GetValue<string>());
        Assert.Equal(["BUN"], Skus(buns));

        // Typing still works at the list; then more from the catalog's cakes, sent as a cart.
        var typed = await phone.SayAsync("2 cinnamon buns");
        Assert.StartsWith("Added 2 × Cinnamon bun.", Body(typed));
        var again = await phone.TapAsync(await phone.TapAsync(typed, "add"), "c:Cakes");
        Assert.Equal(["CAKE-FUDGE-1KG", "CAKE-FUDGE-2KG"], Skus(again)); // each option by its own SKU, cheapest first
        var cart = await phone.SendCartAsync(("CAKE-FUDGE-1KG", 1, 2200));

        Assert.StartsWith("Thanks for your cart!", Body(cart));
        Assert.Contains("2 × Cinnamon bun — PKR 300.00", Body(cart));
        Assert.Contains("1 × Chocolate fudge cake (1 kg) — PKR 2,200.00", Body(cart));
        Assert.Equal(["add", "checkout", "change"], Choices(cart).Select(c => c.Id));
        Assert.Equal(["order", "cart"], (await channel.Db.RowsAsync("SELECT flow, step FROM flow_states")).Single());
        await channel.QuiescentAsync();
    }

    private static IReadOnlyList<string> Skus(System.Text.Json.Nodes.JsonObject sent) =>
        [.. sent["interactive"]!["action"]!["sections"]!.AsArray().SelectMany(s => s!["product_items"]!.AsArray()).Select(p => p!["product_retailer_id"]!.GetValue<string>())];
}
