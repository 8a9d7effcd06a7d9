using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.Privacy;

/// <summary>
/// Correction at a customer's request: the team's name for them is shown everywhere instead of
/// their WhatsApp profile name, which keeps updating underneath; restriction is recorded and
/// audited; a name that is not plain text is refused and nothing changes.
/// </summary>
public sealed class CorrectionTests(TestStores stores) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private Db _db = null!;
    private HttpClient _owner = null!;
    private Guid _sandbox;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        _db = new Db(_api.DatabaseConnectionString);
        _owner = await _api.SignUpAsync("Corner Cakes", "owner@corner.example");
        using var created = await _owner.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        _sandbox = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        await WriteAsync("Hello", "Bobby Tables");
    }

    [Fact]
    public async Task The_teams_name_is_shown_instead_of_the_profile_name_which_ingest_keeps_updating()
    {
        var contact = await _db.ScalarAsync<Guid>("SELECT id FROM contacts");

        using var updated = await _owner.PutAsJsonAsync($"/api/contacts/{contact}", new { displayName = "Robert Tabler", doNotProcess = true }, Ct);
        await WriteAsync("It is me again", "Bobby T.");

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var view = await _owner.GetFromJsonAsync<JsonElement>($"/api/contacts/{contact}", Ct);
        Assert.Equal(("Robert Tabler", "Bobby T.", "Robert Tabler"),
            (view.GetProperty("name").GetString(), view.GetProperty("profileName").GetString(), view.GetProperty("displayName").GetString()));
        Assert.NotEqual(JsonValueKind.Null, view.GetProperty("restrictedAt").ValueKind);
        var found = await _owner.GetFromJsonAsync<JsonElement>("/api/conversations?search=Tabler", Ct);
        Assert.Equal("Robert Tabler", Assert.Single(found.GetProperty("items").EnumerateArray()).GetProperty("contactName").GetString());
        Assert.Equal(["contact.correct", "contact.restrict"],
            (await _db.RowsAsync("SELECT action FROM audit_entries WHERE entity_id = $1 ORDER BY action", contact)).Select(r => (string)r[0]!));
        Assert.Equal(0, await _db.CountAsync("audit_entries", "details LIKE '%Tabler%'"));

        using var reset = await _owner.PutAsJsonAsync($"/api/contacts/{contact}", new { displayName = "", doNotProcess = false }, Ct);
        var back = await reset.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(("Bobby T.", JsonValueKind.Null), (back.GetProperty("name").GetString(), back.GetProperty("restrictedAt").ValueKind));
    }

    [Fact]
    public async Task A_name_with_markup_is_refused_and_nothing_changes()
    {
        var contact = await _db.ScalarAsync<Guid>("SELECT id FROM contacts");

        using var response = await _owner.PutAsJsonAsync($"/api/contacts/{contact}", new { displayName = "<script>x</script>", doNotProcess = true }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await _db.CountAsync("contacts", "display_name IS NOT NULL OR restricted_at IS NOT NULL"));
    }

    private async Task WriteAsync(string text, string name) =>
        (await _owner.PostAsJsonAsync($"/api/sandbox/connections/{_sandbox}/customer-messages", new { text, from = "15550003003", name }, Ct)).EnsureSuccessStatusCode();

    public async ValueTask DisposeAsync()
    {
        _owner.Dispose();
        await _api.DisposeAsync();
    }
}
