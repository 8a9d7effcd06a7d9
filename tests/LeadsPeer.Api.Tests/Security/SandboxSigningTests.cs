using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.Security;

/// <summary>
/// Sandbox webhooks are signed with a key of their own, which the dashboard holds instead of
/// Meta's app secret: the Api accepts it for sandbox numbers and sandbox WABAs only, so a
/// compromised dashboard cannot forge a customer's message to a real number.
/// </summary>
public sealed class SandboxSigningTests(TestStores stores) : IAsyncLifetime
{
    private const string RealNumber = "106540352242977";
    private const string RealWaba = "102290129340977";
    private const string Customer = "16505550188";

    private ApiFactory _api = null!;
    private Db _db = null!;
    private HttpClient _meta = null!;
    private string _sandboxNumber = null!;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        _api.Settings["Sandbox:SigningKey"] = MetaPayloads.SandboxSigningKey;
        _db = new Db(_api.DatabaseConnectionString);
        _sandboxNumber = await SandboxNumberAsync("Sandbox Sails", "owner@sails.example");
        // A second organisation's number, made "real" (the ids Meta hands out are digits) as an
        // Embedded Signup would leave it.
        var real = await SandboxNumberAsync("Real Rigging", "owner@rigging.example");
        await _db.ExecuteAsync("UPDATE whats_app_connections SET kind = 'EmbeddedSignup', phone_number_id = $1, waba_id = $2 WHERE phone_number_id = $3",
            RealNumber, RealWaba, real);
        _meta = _api.CreateClient();
    }

    [Fact]
    public async Task The_sandbox_key_signs_for_a_sandbox_number_and_is_refused_for_a_real_one_which_only_the_app_secret_signs_for()
    {
        using var sandbox = await PostAsync(MetaPayloads.Text(_sandboxNumber, Customer, MetaPayloads.NewWamid(), "Sandbox hello"), MetaPayloads.SandboxSigningKey);
        using var forged = await PostAsync(MetaPayloads.Text(RealNumber, Customer, MetaPayloads.NewWamid(), "Forged hello"), MetaPayloads.SandboxSigningKey);

        Assert.Equal(HttpStatusCode.OK, sandbox.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(["Sandbox hello"], (await _db.RowsAsync("SELECT text FROM messages")).Select(r => (string)r[0]!));
        Assert.Contains("signed with the sandbox key for a number or account that is not a sandbox's", _api.Logs.All);

        // The real number itself takes messages: signed by Meta (the app secret), the same one is stored.
        using var genuine = await PostAsync(MetaPayloads.Text(RealNumber, Customer, MetaPayloads.NewWamid(), "Genuine hello"), MetaPayloads.AppSecret);
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
        Assert.Equal(2, await _db.CountAsync("messages"));
    }

    [Fact]
    public async Task A_sandbox_signed_webhook_that_also_names_a_real_number_or_a_real_WABA_is_refused_whole()
    {
        var sandboxChange = (JsonObject)MetaPayloads.Text(_sandboxNumber, Customer, MetaPayloads.NewWamid(), "Mixed, sandbox part")["entry"]![0]!["changes"]![0]!.DeepClone();
        var realChange = (JsonObject)MetaPayloads.Text(RealNumber, Customer, MetaPayloads.NewWamid(), "Mixed, real part")["entry"]![0]!["changes"]![0]!.DeepClone();
        var template = MetaPayloads.Entries(new JsonObject
        {
            ["id"] = RealWaba,
            ["changes"] = new JsonArray(new JsonObject
            {
                ["field"] = "message_template_status_update",
                ["value"] = new JsonObject { ["event"] = "DISABLED", ["message_template_id"] = 1, ["message_template_name"] = "order_ready", ["message_template_language"] = "en_US" },
            }),
        });

        using var mixed = await PostAsync(MetaPayloads.Envelope(sandboxChange, realChange), MetaPayloads.SandboxSigningKey);
        using var forgedTemplate = await PostAsync(template, MetaPayloads.SandboxSigningKey);
        using var wrongKey = await PostAsync(MetaPayloads.Text(_sandboxNumber, Customer, MetaPayloads.NewWamid(), "Unsigned"), "some-other-key-0123456789abcdefghij");

        Assert.Equal(HttpStatusCode.Unauthorized, mixed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forgedTemplate.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal(0, await _db.CountAsync("messages"));
    }

    [Fact]
    public async Task The_simulated_customer_of_the_dashboard_and_the_Api_still_reaches_the_sandbox_number()
    {
        using var owner = await _api.SignInAsync("owner@sails.example", ApiFactory.Password);
        var id = (await _db.RowsAsync("SELECT id FROM whats_app_connections WHERE phone_number_id = $1", _sandboxNumber)).Single()[0];

        using var response = await owner.PostAsJsonAsync($"/api/sandbox/connections/{id}/customer-messages", new { text = "Through the simulator" }, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, await _db.CountAsync("messages", "text = 'Through the simulator'"));
    }

    private async Task<string> SandboxNumberAsync(string organization, string email)
    {
        using var owner = await _api.SignUpAsync(organization, email);
        using var response = await owner.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("phoneNumberId").GetString()!;
    }

    private Task<HttpResponseMessage> PostAsync(JsonObject payload, string key) =>
        _meta.PostAsync("/webhooks/whatsapp", MetaPayloads.Signed(payload, key), Ct);

    public async ValueTask DisposeAsync()
    {
        _meta.Dispose();
        await _api.DisposeAsync();
    }
}
