using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.Orders;

/// <summary>
/// The team moves orders on through the API: forward only, a cancellation with its reason puts
/// the stock back, and the customer is told — in text inside the 24-hour window, and the order
/// says "customer not notified" (with why) when they cannot be.
/// </summary>
public sealed class OrderApiTests(TestStores stores) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private Db _db = null!;
    private HttpClient _owner = null!;
    private Guid _order;
    private Guid _product;
    private Guid _connection;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        _api.GraphInProcess = true; // the sandbox's simulated Meta reviews the update template
        _db = new Db(_api.DatabaseConnectionString);
        _owner = await _api.SignUpAsync("Garden Town Bakery", "owner@gtb.example");
        using var sandbox = await _owner.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        _connection = (await sandbox.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        (await _owner.PostAsJsonAsync($"/api/sandbox/connections/{_connection}/customer-messages", new { text = "Hi", from = "15550000001" }, Ct)).EnsureSuccessStatusCode();
        using var product = await _owner.PostAsJsonAsync("/api/catalog/products", new { sku = "BUN", name = "Cinnamon bun", price = 150, currency = "PKR", stock = 3 }, Ct);
        _product = (await product.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        _order = await _db.ScalarAsync<Guid>("""
            INSERT INTO orders (id, tenant_id, reference, cart_id, contact_id, conversation_id, customer_name, status, fulfilment, payment_method, currency,
                                subtotal_minor, delivery_fee_minor, total_minor, created_at, updated_at)
            SELECT gen_random_uuid(), tenant_id, 'GTB-1001', gen_random_uuid(), contact_id, id, 'Ayesha', 'New', 'Pickup', 'CashOnDelivery', 'PKR', 30000, 0, 30000, now(), now()
            FROM conversations RETURNING id
            """);
        await _db.ExecuteAsync("""
            INSERT INTO order_lines (id, tenant_id, order_id, product_id, sku, name, unit_price_minor, quantity, line_total_minor)
            SELECT gen_random_uuid(), tenant_id, id, $2, 'BUN', 'Cinnamon bun', 15000, 2, 30000 FROM orders WHERE id = $1
            """, _order, _product);
    }

    [Fact]
    public async Task A_move_forward_is_told_to_the_customer_a_move_back_is_409_with_the_status_and_the_list_counts_by_status()
    {
        using var confirmed = await MoveAsync(new { status = "Confirmed" });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var order = await confirmed.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(["Preparing", "Cancelled"], order.GetProperty("nextStatuses").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(JsonValueKind.Null, order.GetProperty("notNotifiedReason").ValueKind);
        var told = Assert.Single(await _db.RowsAsync("SELECT author, text FROM messages WHERE direction = 'Outbound'"));
        Assert.Equal(["System", "Your order GTB-1001 is confirmed. We'll let you know when it's on its way."], told);
        Assert.Equal(1, await _db.CountAsync("work_items", "kind = 'Send'"));
        Assert.Equal(1, await _db.CountAsync("audit_entries", "action = 'order.status' AND details = 'GTB-1001: New → Confirmed'"));

        using var backwards = await MoveAsync(new { status = "New" });
        Assert.Equal(HttpStatusCode.Conflict, backwards.StatusCode);
        Assert.Equal("Confirmed", (await backwards.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetString());
        using var nothing = await MoveAsync(new { reason = "no status" });
        Assert.Equal(HttpStatusCode.BadRequest, nothing.StatusCode);
        Assert.Equal(1, await _db.CountAsync("messages", "direction = 'Outbound'"));

        var list = await _owner.GetFromJsonAsync<JsonElement>("/api/orders?status=Confirmed&search=gtb-10", Ct);
        Assert.Equal("GTB-1001", Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("reference").GetString());
        Assert.Equal(1, list.GetProperty("counts").GetProperty("Confirmed").GetInt32());
        var none = await _owner.GetFromJsonAsync<JsonElement>("/api/orders?search=Zainab", Ct);
        Assert.Equal(0, none.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_cancellation_needs_a_reason_puts_the_stock_back_once_and_outside_the_window_without_a_template_says_the_customer_was_not_told()
    {
        await _db.ExecuteAsync("UPDATE conversations SET window_expires_at = now() - interval '1 hour'");

        using var noReason = await MoveAsync(new { status = "Cancelled" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        using var cancelled = await MoveAsync(new { status = "Cancelled", reason = "The oven broke down." });
        using var twice = await MoveAsync(new { status = "Cancelled", reason = "Again." });

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal(5, await _db.ScalarAsync<int>("SELECT stock FROM products WHERE id = $1", _product));
        var stored = (await _db.RowsAsync("SELECT status, cancel_reason, not_notified_reason FROM orders")).Single();
        Assert.Equal(["Cancelled", "The oven broke down."], stored[..2]);
        Assert.Contains("no update template", (string)stored[2]!);
        Assert.Equal(0, await _db.CountAsync("messages", "direction = 'Outbound'"));
        var shown = await _owner.GetFromJsonAsync<JsonElement>($"/api/orders/{_order}", Ct);
        Assert.Contains("no update template", shown.GetProperty("notNotifiedReason").GetString());
    }

    [Fact]
    public async Task Outside_the_window_the_update_goes_as_the_organisations_utility_template_filled_from_the_order()
    {
        await Templates.TemplateScenario.ApprovedAsync(_api, _owner, _connection, "order_update", "UTILITY", Ct);
        (await _owner.PutAsJsonAsync("/api/ordering/settings", new
        {
            enabled = true, currency = "PKR", referencePrefix = "GTB", pickup = true, updateTemplateName = "order_update", updateTemplateLanguage = "en_US",
            updateTemplateParameters = new Dictionary<string, string> { ["1"] = "name", ["2"] = "reference" },
        }, Ct)).EnsureSuccessStatusCode();
        await _db.ExecuteAsync("UPDATE conversations SET window_expires_at = now() - interval '1 hour'");

        using var moved = await MoveAsync(new { status = "Confirmed" });

        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await moved.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("notNotifiedReason").ValueKind);
        var sent = (await _db.RowsAsync("SELECT type, author, text FROM messages WHERE direction = 'Outbound'")).Single();
        Assert.Equal(["template", "System"], sent[..2]);
        Assert.Contains("Hi Ayesha, your order GTB-1001 is ready for pickup.", (string)sent[2]!); // the name and the reference filled in
    }

    [Fact]
    public async Task Erasing_the_customer_keeps_the_order_in_the_books_without_them_and_their_export_carried_it()
    {
        await _db.ExecuteAsync("UPDATE orders SET address = 'House 12, Street 4'");
        var contact = await _db.ScalarAsync<Guid>("SELECT contact_id FROM orders");
        var export = await _owner.GetFromJsonAsync<JsonElement>($"/api/contacts/{contact}/export", Ct);
        var exported = Assert.Single(export.GetProperty("orders").EnumerateArray());
        Assert.Equal(("GTB-1001", "House 12, Street 4", 1), (exported.GetProperty("reference").GetString(), exported.GetProperty("address").GetString(), exported.GetProperty("lines").GetArrayLength()));

        (await _owner.DeleteAsync($"/api/contacts/{contact}", Ct)).EnsureSuccessStatusCode();

        Assert.Equal(["GTB-1001", null, null, null, null, 30000L], (await _db.RowsAsync(
            "SELECT reference, contact_id, conversation_id, customer_name, address, total_minor FROM orders")).Single());
        Assert.Equal(1, await _db.CountAsync("order_lines", "sku = 'BUN' AND quantity = 2"));
    }

    private Task<HttpResponseMessage> MoveAsync(object body) => _owner.PostAsJsonAsync($"/api/orders/{_order}/status", body, Ct);

    public async ValueTask DisposeAsync()
    {
        _owner.Dispose();
        await _api.DisposeAsync();
    }
}
