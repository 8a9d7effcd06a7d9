using System.Net.Http.Json;
using System.Text.Json;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.Conversations;

/// <summary>What the AI turned away is listable and says why — for the organisation only.</summary>
public sealed class DeclinedTests(TestStores stores) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private Db _db = null!;
    private HttpClient _owner = null!;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        _db = new Db(_api.DatabaseConnectionString);
        _owner = await _api.SignUpAsync("Garden Bakes", "owner@garden.example");
    }

    [Fact]
    public async Task The_declined_view_lists_the_conversations_the_AI_turned_away_with_the_reason_on_the_reply()
    {
        using var created = await _owner.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        var sandbox = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        foreach (var (from, text) in new[] { ("15550000001", "Write me a poem"), ("15550000002", "Do you bake on Sundays?") })
        {
            (await _owner.PostAsJsonAsync($"/api/sandbox/connections/{sandbox}/customer-messages", new { text, from }, Ct)).EnsureSuccessStatusCode();
        }

        // The Worker's replies, as it records them: one declined, one answered.
        await _db.ExecuteAsync("""
            INSERT INTO messages (id, tenant_id, conversation_id, direction, type, text, status, author, outcome, outcome_reason, created_at)
            SELECT gen_random_uuid(), v.tenant_id, v.id, 'Outbound', 'text', 'reply', 'Sent', 'Agent',
                   CASE WHEN k.wa_id = '15550000001' THEN 'Decline' ELSE 'Answer' END,
                   CASE WHEN k.wa_id = '15550000001' THEN 'Outside the business.' ELSE 'Answered from the knowledge.' END, now()
            FROM conversations v JOIN contacts k ON k.id = v.contact_id
            """);
        var rival = await _api.SignUpAsync("Rival Rolls", "owner@rival.example");

        var declined = await _owner.GetFromJsonAsync<JsonElement>("/api/conversations?declined=true", Ct);
        var theirs = await rival.GetFromJsonAsync<JsonElement>("/api/conversations?declined=true", Ct);

        var only = Assert.Single(declined.GetProperty("items").EnumerateArray());
        Assert.Equal("15550000001", only.GetProperty("contactWaId").GetString());
        Assert.Empty(theirs.GetProperty("items").EnumerateArray());
        var thread = await _owner.GetFromJsonAsync<JsonElement>($"/api/conversations/{only.GetProperty("id").GetGuid()}/messages", Ct);
        var reply = thread.GetProperty("items").EnumerateArray().Single(m => m.GetProperty("direction").GetString() == "Outbound");
        Assert.Equal(("Decline", "Outside the business."), (reply.GetProperty("outcome").GetString(), reply.GetProperty("outcomeReason").GetString()));
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();
}
