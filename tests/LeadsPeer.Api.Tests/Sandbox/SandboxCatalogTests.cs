using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.Sandbox;

/// <summary>
/// The sandbox number's Meta catalog: the customer phone lists the business's products and sends a
/// cart as Meta's order message; the simulator takes product messages of the linked catalog only.
/// </summary>
public sealed class SandboxCatalogTests(TestStores stores) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private Db _db = null!;
    private HttpClient _owner = null!;
    private JsonElement _sandbox;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private Guid SandboxId => _sandbox.GetProperty("id").GetGuid();

    private string Messages => $"/api/sandbox/connections/{SandboxId}/customer-messages";

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        _db = new Db(_api.DatabaseConnectionString);
        _owner = await _api.SignUpAsync("Garden Town Bakery", "owner@gtb-sandbox.example");
        using var response = await _owner.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        _sandbox = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private async Task SeedAsync(string? metaCatalogId = null)
    {
        (await _owner.PutAsJsonAsync("/api/ordering/settings", new
        {
            enabled = true, currency = "PKR", referencePrefix = "GTB", delivery = false, pickup = true, paymentMethods = new[] { "CashOnDelivery" }, metaCatalogId,
        }, Ct)).EnsureSuccessStatusCode();
        foreach (var product in new object[]
        {
            new { sku = "CAKE-FUDGE", name = "Chocolate fudge cake", category = "Cakes", price = 0 },
            new { sku = "CAKE-FUDGE-2KG", name = "Chocolate fudge cake", parentSku = "CAKE-FUDGE", variant = "2 kg", price = 4200, stock = 3 },
            new { sku = "CAKE-FUDGE-1KG", name = "Chocolate fudge cake", parentSku = "CAKE-FUDGE", variant = "1 kg", price = 2200 },
            new { sku = "BUN", name = "Cinnamon bun", category = "Buns", price = 150.5 },
            new { sku = "ROLL", name = "Bread roll", category = "Buns", price = 40, available = false },
        })
        {
            (await _owner.PostAsJsonAsync("/api/catalog/products", product, Ct)).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task The_phone_lists_what_a_cart_can_hold_and_sends_a_cart_as_Metas_order_message_with_the_catalogs_prices()
    {
        await SeedAsync();

        var catalog = await _owner.GetFromJsonAsync<JsonElement>($"/api/sandbox/connections/{SandboxId}/catalog", Ct);
        using var sent = await _owner.PostAsJsonAsync(Messages, new { cart = new[] { new { sku = "CAKE-FUDGE-2KG", quantity = 1 }, new { sku = "BUN", quantity = 2 } } }, Ct);

        // Options are what a cart holds (their product is not), switched-off products are not shown; by name, then price.
        Assert.Equal(["CAKE-FUDGE-1KG", "CAKE-FUDGE-2KG", "BUN"], catalog.EnumerateArray().Select(i => i.GetProperty("sku").GetString()));
        Assert.Equal(["Cinnamon bun", "PKR 150.50"], new[] { catalog[2].GetProperty("title").GetString(), catalog[2].GetProperty("price").GetString() });
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var wamid = (await sent.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("waMessageId").GetString()!;
        var row = Assert.Single(await _db.RowsAsync("SELECT type, payload FROM messages WHERE wa_message_id = $1 AND direction = 'Inbound'", wamid));
        Assert.Equal("order", row[0]);
        var order = JsonNode.Parse((string)row[1]!)!["order"]!;
        Assert.Equal("sandbox-catalog", order["catalog_id"]!.GetValue<string>());
        Assert.Equal([("CAKE-FUDGE-2KG", 1, 4200m, "PKR"), ("BUN", 2, 150.5m, "PKR")], order["product_items"]!.AsArray().Select(i =>
            (i!["product_retailer_id"]!.GetValue<string>(), i["quantity"]!.GetValue<int>(), i["item_price"]!.GetValue<decimal>(), i["currency"]!.GetValue<string>())));
        // Taps and carts are answered without the typing quiet time: its reply is due at once.
        Assert.Equal(1, await _db.CountAsync("work_items", "kind = 'Reply'"));
    }

    [Fact]
    public async Task A_cart_that_cannot_be_sent_is_refused_with_a_problem_and_nothing_arrives()
    {
        using var beforeOrdering = await _owner.PostAsJsonAsync(Messages, new { cart = new[] { new { sku = "BUN", quantity = 1 } } }, Ct);
        using var noCatalog = await _owner.GetAsync($"/api/sandbox/connections/{SandboxId}/catalog", Ct);
        await SeedAsync();

        foreach (var (body, expected) in new (object Body, string Says)[]
        {
            (new { cart = new[] { new { sku = "NOPE", quantity = 1 } } }, "no product with the SKU NOPE"),
            (new { cart = new[] { new { sku = "BUN", quantity = 0 } } }, "quantity is 1 to 99"),
            (new { cart = new[] { new { sku = "BUN", quantity = 1 }, new { sku = "BUN", quantity = 2 } } }, "names a SKU, once"),
            (new { cart = Array.Empty<object>() }, "1 to 30 items"),
            (new { text = "and this", cart = new[] { new { sku = "BUN", quantity = 1 } } }, "one at a time"),
        })
        {
            using var refused = await _owner.PostAsJsonAsync(Messages, body, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains(expected, await refused.Content.ReadAsStringAsync(Ct));
        }

        Assert.Equal(HttpStatusCode.Conflict, beforeOrdering.StatusCode);
        Assert.Contains("switch ordering on", await beforeOrdering.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.Conflict, noCatalog.StatusCode);
        Assert.Equal(0, await _db.CountAsync("messages"));
    }

    [Fact]
    public async Task The_simulator_sends_products_of_the_linked_catalog_and_refuses_another_catalog_an_unknown_sku_or_a_list_without_header()
    {
        await SeedAsync(metaCatalogId: "1204876330411024");
        using var meta = _api.CreateClient();
        meta.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await _api.SandboxTokenAsync(SandboxId));
        JsonObject ProductList(string catalogId, string sku, string? header = "Cakes") => new()
        {
            ["messaging_product"] = "whatsapp",
            ["to"] = "15550000001",
            ["type"] = "interactive",
            ["interactive"] = new JsonObject
            {
                ["type"] = "product_list",
                ["header"] = header is null ? null : new JsonObject { ["type"] = "text", ["text"] = header },
                ["body"] = new JsonObject { ["text"] = "Add what you like to your cart." },
                ["action"] = new JsonObject
                {
                    ["catalog_id"] = catalogId,
                    ["sections"] = new JsonArray(new JsonObject
                    {
                        ["title"] = "Cakes",
                        ["product_items"] = new JsonArray(new JsonObject { ["product_retailer_id"] = sku }),
                    }),
                },
            },
        };

        using var sent = await meta.PostAsJsonAsync($"/simulator/v23.0/{_sandbox.GetProperty("phoneNumberId").GetString()}/messages", ProductList("1204876330411024", "CAKE-FUDGE-2KG"), Ct);
        var refusals = new List<string>();
        foreach (var wrong in new[] { ProductList("sandbox-catalog", "CAKE-FUDGE-2KG"), ProductList("1204876330411024", "NOPE"), ProductList("1204876330411024", "BUN", header: null) })
        {
            using var refused = await meta.PostAsJsonAsync($"/simulator/v23.0/{_sandbox.GetProperty("phoneNumberId").GetString()}/messages", wrong, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var error = (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error");
            Assert.Equal(131009, error.GetProperty("code").GetInt32());
            refusals.Add(error.GetProperty("message").GetString()!);
        }

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Contains("catalog_id", refusals[0]);
        Assert.Contains("\"NOPE\" is not in the catalog", refusals[1]);
        Assert.Contains("header is required", refusals[2]);
        Assert.Equal(1, await _db.CountAsync("sandbox_messages"));
        var inbox = await _owner.GetFromJsonAsync<JsonElement>($"/api/sandbox/connections/{SandboxId}/customer-inbox", Ct);
        Assert.Equal("product_list", Assert.Single(inbox.EnumerateArray()).GetProperty("interactive").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Another_organisation_can_neither_read_this_sandboxs_catalog_nor_send_a_cart_to_it()
    {
        await SeedAsync();
        using var stranger = await _api.SignUpAsync("Lark Lamps", "owner@lark-sandbox.example");

        using var read = await stranger.GetAsync($"/api/sandbox/connections/{SandboxId}/catalog", Ct);
        using var write = await stranger.PostAsJsonAsync(Messages, new { cart = new[] { new { sku = "BUN", quantity = 1 } } }, Ct);

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, write.StatusCode);
        Assert.DoesNotContain("Cinnamon", await read.Content.ReadAsStringAsync(Ct));
        Assert.Equal(0, await _db.CountAsync("messages"));
    }


    public async ValueTask DisposeAsync()
    {
        _owner.Dispose();
        await _api.DisposeAsync();
    }
}
