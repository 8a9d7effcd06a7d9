using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.Orders;

/// <summary>The catalog API: products with options, prices in the currency's minor units, the CSV import's all-or-nothing, the ordering settings.</summary>
public sealed class CatalogApiTests(TestStores stores) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private Db _db = null!;
    private HttpClient _owner = null!;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        _db = new Db(_api.DatabaseConnectionString);
        _owner = await _api.SignUpAsync("Garden Town Bakery", "owner@gtb.example");
    }

    [Fact]
    public async Task A_product_and_its_options_are_added_found_by_words_changed_and_removed_and_the_first_price_sets_the_currency()
    {
        using var cake = await _owner.PostAsJsonAsync("/api/catalog/products", new { sku = "CAKE-FUDGE", name = "Chocolate fudge cake", category = "Cakes", price = 0, currency = "PKR" }, Ct);
        Assert.Equal(HttpStatusCode.Created, cake.StatusCode);
        var cakeId = (await cake.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        using var option = await _owner.PostAsJsonAsync("/api/catalog/products",
            new { sku = "CAKE-FUDGE-2KG", name = "Chocolate fudge cake", parentSku = "CAKE-FUDGE", variant = "2 kg", price = 4250.50, stock = 3 }, Ct);
        Assert.Equal(HttpStatusCode.Created, option.StatusCode);
        var created = await option.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal((cakeId, "Cakes", 425050L, "PKR"),
            (created.GetProperty("parentId").GetGuid(), created.GetProperty("category").GetString(), created.GetProperty("priceMinor").GetInt64(), created.GetProperty("currency").GetString()));
        Assert.Equal("PKR", await _db.ScalarAsync<string>("SELECT currency FROM ordering_settings"));

        var found = await _owner.GetFromJsonAsync<JsonElement>("/api/catalog/products?search=fudge%202kg", Ct);
        Assert.Equal("CAKE-FUDGE-2KG", Assert.Single(found.GetProperty("items").EnumerateArray()).GetProperty("sku").GetString());
        var byPrefix = await _owner.GetFromJsonAsync<JsonElement>("/api/catalog/products?search=choc", Ct);
        Assert.Equal(2, byPrefix.GetProperty("items").GetArrayLength());

        var optionId = created.GetProperty("id").GetGuid();
        using var changed = await _owner.PutAsJsonAsync($"/api/catalog/products/{optionId}",
            new { sku = "CAKE-FUDGE-2KG", name = "Chocolate fudge cake", parentSku = "CAKE-FUDGE", variant = "2 kg", price = 4500, available = false }, Ct);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal([450000L, false, null], (await _db.RowsAsync("SELECT price_minor, available, stock FROM products WHERE id = $1", optionId)).Single());

        using var removed = await _owner.DeleteAsync($"/api/catalog/products/{cakeId}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(0, await _db.CountAsync("products")); // its options go with it
        Assert.Equal(4, await _db.CountAsync("audit_entries", "action LIKE 'catalog.product.%'"));
    }

    [Theory]
    [InlineData("""{"sku":"A","name":"Bun","price":-1,"currency":"PKR"}""", "price", "negative")]
    [InlineData("""{"sku":"A","name":"Bun","price":1.005,"currency":"PKR"}""", "price", "2 decimals")]
    [InlineData("""{"sku":"A","name":"Bun","price":10.5,"currency":"JPY"}""", "price", "no decimals")]
    [InlineData("""{"sku":"A","name":"Bun","price":1,"currency":"XYZ"}""", "currency", "ISO 4217")]
    [InlineData("""{"sku":"A","name":"Bun","price":1}""", "currency", "Name the currency")]
    [InlineData("""{"sku":"A B","name":"Bun","price":1,"currency":"PKR"}""", "sku", "no spaces")]
    [InlineData("""{"sku":"A","name":"","price":1,"currency":"PKR"}""", "name", "needs a name")]
    [InlineData("""{"sku":"A","name":"Bun","price":1,"currency":"PKR","parentSku":"NOPE","variant":"Big"}""", "parentSku", "no product with SKU")]
    [InlineData("""{"sku":"A","name":"Bun","price":1,"currency":"PKR","stock":-2}""", "stock", "negative")]
    public async Task A_product_that_is_not_valid_is_refused_naming_the_field_and_nothing_is_stored(string body, string field, string expected)
    {
        using var response = await _owner.PostAsync("/api/catalog/products", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains(expected, problem.GetProperty("errors").GetProperty(field)[0].GetString());
        Assert.Equal(0, await _db.CountAsync("products"));
        Assert.Equal(0, await _db.CountAsync("ordering_settings"));
    }

    [Fact]
    public async Task A_second_product_with_the_same_sku_or_another_currency_is_refused()
    {
        (await _owner.PostAsJsonAsync("/api/catalog/products", new { sku = "BUN", name = "Bun", price = 50, currency = "PKR" }, Ct)).EnsureSuccessStatusCode();

        using var twice = await _owner.PostAsJsonAsync("/api/catalog/products", new { sku = "BUN", name = "Other bun", price = 60 }, Ct);
        using var dollars = await _owner.PostAsJsonAsync("/api/catalog/products", new { sku = "ROLL", name = "Roll", price = 1, currency = "USD" }, Ct);

        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, dollars.StatusCode);
        Assert.Contains("one currency", await dollars.Content.ReadAsStringAsync(Ct));
        Assert.Equal(["Bun"], (await _db.RowsAsync("SELECT name FROM products")).Select(r => r[0]));
    }

    [Fact]
    public async Task A_csv_file_creates_or_replaces_products_by_sku_and_a_file_with_bad_lines_stores_nothing_and_names_each_line()
    {
        const string good = """
            sku,name,description,category,price,currency,available,stock,parent_sku,variant
            CAKE,Chocolate fudge cake,Rich and dark,Cakes,0,PKR,yes,,,
            CAKE-1KG,Chocolate fudge cake,,,2200,PKR,yes,5,CAKE,1 kg
            CAKE-2KG,Chocolate fudge cake,,,4200.50,PKR,yes,2,CAKE,2 kg
            BUN,"Cinnamon bun, large",,Buns,150,PKR,no,,,
            """;
        using var imported = await ImportAsync(good);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.Equal((4, 0), Counts(await imported.Content.ReadFromJsonAsync<JsonElement>(Ct)));
        Assert.Equal([["CAKE-1KG", "Cakes", 220000L, 5, "1 kg", true], ["BUN", "Buns", 15000L, null, null, false]],
            await _db.RowsAsync("SELECT sku, category, price_minor, stock, variant, available FROM products WHERE sku IN ('CAKE-1KG', 'BUN') ORDER BY sku DESC"));

        using var again = await ImportAsync("sku,name,price\nBUN,Cinnamon bun,175\nROLL,Bread roll,40\n");
        Assert.Equal((1, 1), Counts(await again.Content.ReadFromJsonAsync<JsonElement>(Ct)));

        const string bad = """
            sku,name,price,stock
            TART,Lemon tart,300,4
            PIE,Apple pie,12.345,
            TART,Another tart,250,
            SCONE,Scone,abc,two
            """;
        var before = await _db.RowsAsync("SELECT sku, name, price_minor FROM products ORDER BY sku");
        using var refused = await ImportAsync(bad);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains("3 lines", problem.GetProperty("title").GetString());
        var errors = problem.GetProperty("errors");
        Assert.Contains("2 decimals", errors.GetProperty("line 3")[0].GetString());
        Assert.Contains("already on line 2", errors.GetProperty("line 4")[0].GetString());
        Assert.Contains("'abc' is not a number", errors.GetProperty("line 5")[0].GetString());
        Assert.Contains("'two'", errors.GetProperty("line 5")[0].GetString());
        Assert.False(errors.TryGetProperty("line 2", out _));
        Assert.Equal(before, await _db.RowsAsync("SELECT sku, name, price_minor FROM products ORDER BY sku"));
    }

    [Fact]
    public async Task The_ordering_settings_are_checked_before_they_are_saved()
    {
        using var empty = await _owner.GetAsync("/api/ordering/settings", Ct);
        Assert.False((await empty.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("enabled").GetBoolean());

        using var bad = await _owner.PutAsJsonAsync("/api/ordering/settings", new
        {
            enabled = true, currency = "PKR", referencePrefix = "gt b", delivery = false, pickup = false, deliveryFee = 1.234,
            paymentMethods = new[] { "PaymentLink", "BankTransfer" }, updateTemplateParameters = new Dictionary<string, string> { ["1"] = "colour" },
            metaCatalogId = new string('9', 65),
        }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.Equal(["bankTransferDetails", "delivery", "deliveryFee", "metaCatalogId", "paymentLinkUrl", "referencePrefix", "updateTemplateParameters"],
            errors.EnumerateObject().Select(e => e.Name).Order());
        Assert.Equal(0, await _db.CountAsync("ordering_settings"));

        using var good = await _owner.PutAsJsonAsync("/api/ordering/settings", new
        {
            enabled = true, currency = "PKR", referencePrefix = "GTB", delivery = true, pickup = true, deliveryFee = 200, freeDeliveryAbove = 5000,
            deliveryAreas = new[] { "Garden Town", "Johar Town" }, minimumOrder = 500, leadTimeMinutes = 120, paymentMethods = new[] { "CashOnDelivery" },
            metaCatalogId = " 1204876330411024 ",
        }, Ct);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(["GTB", 20000L, 500000L, 50000L, "1204876330411024"],
            (await _db.RowsAsync("SELECT reference_prefix, delivery_fee_minor, free_delivery_above_minor, minimum_order_minor, meta_catalog_id FROM ordering_settings")).Single());
    }

    private Task<HttpResponseMessage> ImportAsync(string csv)
    {
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv.Replace("\r", "")));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return _owner.PostAsync("/api/catalog/import", new MultipartFormDataContent { { file, "file", "catalog.csv" } }, Ct);
    }

    private static (int, int) Counts(JsonElement report) => (report.GetProperty("created").GetInt32(), report.GetProperty("updated").GetInt32());

    public async ValueTask DisposeAsync()
    {
        _owner.Dispose();
        await _api.DisposeAsync();
    }
}
