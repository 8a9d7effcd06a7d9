using LeadsPeer.Core.Catalog;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Orders;
using LeadsPeer.Core.Ordering;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Testing;
using LeadsPeer.Worker.Tests.Knowledge;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsPeer.Worker.Tests.Orders;

/// <summary>
/// Many customers confirm the last few items at the same moment, each in its own unit of work on
/// the real database: exactly as many orders as there were items, never a negative stock, and
/// everyone else told what is left; one cart confirmed twice at once is one order.
/// </summary>
public sealed class StockRaceTests(TestStores stores)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Twelve_customers_racing_for_four_buns_make_four_orders_and_the_others_are_told_they_are_sold_out()
    {
        await using var worker = await KnowledgeHarness.CreateAsync(stores);
        var tenant = await worker.AddTenantAsync("Garden Town Bakery");
        var (bun, conversations) = await SeedAsync(worker, tenant, customers: 12, stock: 4);

        var results = await Task.WhenAll(conversations.Select(conversation => Task.Run(async () =>
        {
            await using var scope = worker.ScopeFor(tenant);
            return await scope.ServiceProvider.GetRequiredService<Core.Orders.OrderBook>().PlaceAsync(
                new PlaceOrder(Guid.NewGuid(), conversation, [new CartLine(bun, 1)], Fulfilment.Pickup, null, null, "Now", PaymentMethod.CashOnDelivery, 15000), Ct);
        }, Ct)));

        Assert.Equal(4, results.OfType<PlaceResult.Placed>().Count());
        Assert.All(results.OfType<PlaceResult.Changed>(), changed => Assert.Equal("Cinnamon bun is sold out.", changed.Why));
        Assert.Equal(8, results.OfType<PlaceResult.Changed>().Count());
        Assert.Equal(0, await worker.Db.ScalarAsync<int>("SELECT stock FROM products WHERE id = $1", bun));
        Assert.Equal(["GTB-1001", "GTB-1002", "GTB-1003", "GTB-1004"],
            (await worker.Db.RowsAsync("SELECT reference FROM orders ORDER BY reference")).Select(r => r[0]));
    }

    [Fact]
    public async Task One_cart_confirmed_twice_at_once_is_one_order_and_takes_the_stock_once()
    {
        await using var worker = await KnowledgeHarness.CreateAsync(stores);
        var tenant = await worker.AddTenantAsync("Garden Town Bakery");
        var (bun, conversations) = await SeedAsync(worker, tenant, customers: 1, stock: 10);
        var cart = Guid.NewGuid();

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            await using var scope = worker.ScopeFor(tenant);
            return await scope.ServiceProvider.GetRequiredService<Core.Orders.OrderBook>().PlaceAsync(
                new PlaceOrder(cart, conversations[0], [new CartLine(bun, 2)], Fulfilment.Pickup, null, null, "Now", PaymentMethod.CashOnDelivery, 30000), Ct);
        }, Ct)));

        var placed = results.Cast<PlaceResult.Placed>().ToList();
        Assert.Single(placed.Select(p => p.Order.Id).Distinct());
        Assert.Single(placed, p => !p.Again);
        Assert.Equal(8, await worker.Db.ScalarAsync<int>("SELECT stock FROM products WHERE id = $1", bun));
        Assert.Equal(1, await worker.Db.CountAsync("orders"));
    }

    private static async Task<(Guid Bun, List<Conversation> Conversations)> SeedAsync(KnowledgeHarness worker, Guid tenant, int customers, int stock)
    {
        await using var db = TestStores.CreateDbContext(worker.Database, tenant);
        var now = DateTimeOffset.UtcNow;
        var connection = new WhatsAppConnection
        {
            TenantId = tenant, PhoneNumberId = "sandbox-" + Random.Shared.Next(100_000_000, 999_999_999), WabaId = "sandbox-waba",
            Kind = WhatsAppConnectionKind.Sandbox, CreatedAt = now,
        };
        var bun = new Product { TenantId = tenant, Sku = "BUN", Name = "Cinnamon bun", PriceMinor = 15000, Stock = stock, CreatedAt = now, UpdatedAt = now };
        db.AddRange(connection, bun, new OrderingSettings { TenantId = tenant, Enabled = true, Currency = "PKR", ReferencePrefix = "GTB", Pickup = true });
        var conversations = new List<Conversation>();
        for (var i = 0; i < customers; i++)
        {
            var contact = new Contact { TenantId = tenant, ConnectionId = connection.Id, CustomerKey = $"1555000{i:D4}", WaId = $"1555000{i:D4}", CreatedAt = now };
            var conversation = new Conversation { TenantId = tenant, ConnectionId = connection.Id, ContactId = contact.Id, CreatedAt = now, LastInboundAt = now, WindowExpiresAt = now.AddHours(24) };
            db.AddRange(contact, conversation);
            conversations.Add(conversation);
        }

        await db.SaveChangesAsync();
        return (bun.Id, conversations);
    }
}
