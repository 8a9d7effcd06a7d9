using System.Net.Http.Json;
using System.Text.Json;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.Sandbox;

/// <summary>A sandbox number's window can be shortened to try what happens once it closes; real numbers keep Meta's 24 hours.</summary>
public sealed class SandboxWindowTests(TestStores stores) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private Db _db = null!;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        _api.Settings["Channel:SandboxServiceWindow"] = "00:05:00";
        _db = new Db(_api.DatabaseConnectionString);
    }

    [Fact]
    public async Task The_sandbox_window_follows_the_setting_and_a_real_number_s_stays_24_hours()
    {
        var owner = await _api.SignUpAsync("Garden Bakes", "owner@garden.example");
        using var created = await owner.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        var sandbox = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        (await owner.PostAsJsonAsync($"/api/sandbox/connections/{sandbox}/customer-messages", new { text = "Is my cake done?" }, Ct)).EnsureSuccessStatusCode();
        // A real number of the same organisation, written to through Meta's webhook.
        await _db.ExecuteAsync("""
            INSERT INTO whats_app_connections (id, tenant_id, phone_number_id, waba_id, kind, status, created_at)
            SELECT gen_random_uuid(), tenant_id, 'pn-real', 'waba-real', 'EmbeddedSignup', 'Active', now() FROM whats_app_connections
            """);
        (await _api.CreateClient().PostAsync("/webhooks/whatsapp",
            MetaPayloads.Signed(MetaPayloads.Text("pn-real", "15550000002", MetaPayloads.NewWamid(), "Hello")), Ct)).EnsureSuccessStatusCode();

        var windows = await _db.RowsAsync("""
            SELECT w.kind, extract(epoch FROM v.window_expires_at - v.last_inbound_at)::int
            FROM conversations v JOIN whats_app_connections w ON w.id = v.connection_id ORDER BY w.kind
            """);

        Assert.Equal([["EmbeddedSignup", 24 * 3600], ["Sandbox", 300]], windows);
    }

    [Fact]
    public async Task A_sandbox_number_s_own_window_applies_at_once_to_its_conversations_and_to_new_messages()
    {
        var owner = await _api.SignUpAsync("Garden Bakes", "owner@garden.example");
        using var created = await owner.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        var sandbox = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        (await owner.PostAsJsonAsync($"/api/sandbox/connections/{sandbox}/customer-messages", new { text = "Is my cake done?" }, Ct)).EnsureSuccessStatusCode();

        using var tooShort = await owner.PutAsJsonAsync($"/api/sandbox/connections/{sandbox}/service-window", new { seconds = 5 }, Ct);
        using var set = await owner.PutAsJsonAsync($"/api/sandbox/connections/{sandbox}/service-window", new { seconds = 15 }, Ct);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, set.StatusCode);
        Assert.Equal("00:00:15", (await set.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("sandboxServiceWindow").GetString());
        Assert.Equal(15, await WindowSecondsAsync());
        (await owner.PostAsJsonAsync($"/api/sandbox/connections/{sandbox}/customer-messages", new { text = "Hello again" }, Ct)).EnsureSuccessStatusCode();
        Assert.Equal(15, await WindowSecondsAsync());
        Assert.Equal(1, await _db.CountAsync("audit_entries", "action = 'connection.sandbox-window'"));
    }

    private Task<int> WindowSecondsAsync() =>
        _db.ScalarAsync<int>("SELECT extract(epoch FROM window_expires_at - last_inbound_at)::int FROM conversations");

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();
}
