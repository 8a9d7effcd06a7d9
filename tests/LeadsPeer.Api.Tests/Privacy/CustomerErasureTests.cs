using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsPeer.Testing;
using Npgsql;

namespace LeadsPeer.Api.Tests.Privacy;

/// <summary>
/// Our policy's promise of end-customer deletion and access: an Owner erases a sandbox customer
/// and a dump of the whole database holds nothing of them; Meta's redelivery of their old message
/// does not bring them back; their export holds everything; and nobody else can do either.
/// </summary>
public sealed class CustomerErasureTests(TestStores stores) : IAsyncLifetime
{
    private const string Number = "923331112223";
    private const string Name = "Zarmina Qureshi";
    private const string Body = "Deliver to House 41, Canal View";
    private const string Reply = "Your rider code is 7719";
    private const string OtherNumber = "15550004444";
    private const string OtherBody = "Keep my order please";
    private ApiFactory _api = null!;
    private Db _db = null!;
    private HttpClient _owner = null!;
    private Guid _sandbox;
    private string _phoneNumberId = null!;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        _db = new Db(_api.DatabaseConnectionString);
        _owner = await _api.SignUpAsync("Canal Sweets", "owner@canal.example");
        using var created = await _owner.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        var connection = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        _sandbox = connection.GetProperty("id").GetGuid();
        _phoneNumberId = connection.GetProperty("phoneNumberId").GetString()!;
    }

    [Fact]
    public async Task An_erased_customer_is_in_no_table_of_a_database_dump_and_the_audit_says_who_erased_them()
    {
        var contact = await CustomerWritesAndIsAnsweredAsync();
        await SendAsync(OtherNumber, OtherBody, "Other Customer");

        using var erased = await _owner.DeleteAsync($"/api/contacts/{contact}", Ct);

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var summary = await erased.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal((1, 2), (summary.GetProperty("conversations").GetInt32(), summary.GetProperty("messages").GetInt32()));
        var dump = await DumpAsync();
        // The other customer is still there: the dump is complete, and only one customer went.
        Assert.Contains(OtherBody, dump);
        Assert.Contains(OtherNumber, dump);
        Assert.DoesNotContain(Number, dump);
        Assert.DoesNotContain(Name, dump);
        Assert.DoesNotContain(Body, dump);
        Assert.DoesNotContain(Reply, dump);
        var audit = await _db.RowsAsync("SELECT user_id, details FROM audit_entries WHERE action = 'contact.erase' AND entity_id = $1", contact);
        var entry = Assert.Single(audit);
        Assert.NotNull(entry[0]);
        Assert.Equal("1 conversation(s), 2 message(s)", entry[1]);
        using var again = await _owner.DeleteAsync($"/api/contacts/{contact}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Metas_redelivery_of_an_erased_message_stores_nothing_while_a_new_message_starts_afresh()
    {
        var contact = await CustomerWritesAndIsAnsweredAsync();
        var (wamid, sentAt) = (await _db.RowsAsync("SELECT wa_message_id, created_at FROM messages WHERE direction = 'Inbound'")).Select(r => ((string)r[0]!, (DateTime)r[1]!)).Single();
        (await _owner.DeleteAsync($"/api/contacts/{contact}", Ct)).EnsureSuccessStatusCode();
        using var meta = _api.CreateClient();

        var redelivered = MetaPayloads.Text(_phoneNumberId, Number, wamid, Body, new DateTimeOffset(sentAt, TimeSpan.Zero).ToUnixTimeSeconds());
        using var first = await meta.PostAsync("/webhooks/whatsapp", MetaPayloads.Signed(redelivered), Ct);
        // An older message of theirs that never arrived before the erasure: also a late delivery.
        var late = MetaPayloads.Text(_phoneNumberId, Number, MetaPayloads.NewWamid(), "An older one", _api.Clock.GetUtcNow().AddMinutes(-5).ToUnixTimeSeconds());
        using var second = await meta.PostAsync("/webhooks/whatsapp", MetaPayloads.Signed(late), Ct);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.Equal(0, await _db.CountAsync("contacts"));
        Assert.Equal(0, await _db.CountAsync("messages"));

        var fresh = MetaPayloads.Text(_phoneNumberId, Number, MetaPayloads.NewWamid(), "Hello again", _api.Clock.GetUtcNow().AddMinutes(1).ToUnixTimeSeconds());
        (await meta.PostAsync("/webhooks/whatsapp", MetaPayloads.Signed(fresh), Ct)).EnsureSuccessStatusCode();
        Assert.Equal(1, await _db.CountAsync("contacts"));
        Assert.Equal("Hello again", await _db.ScalarAsync<string>("SELECT text FROM messages"));
    }

    [Fact]
    public async Task The_export_holds_the_profile_every_message_and_the_opt_out_state_and_is_audited()
    {
        var contact = await CustomerWritesAndIsAnsweredAsync();
        _api.Clock.Advance(TimeSpan.FromMinutes(1));
        await SendAsync(Number, "STOP", Name);

        using var response = await _owner.GetAsync($"/api/contacts/{contact}/export", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        var export = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var profile = export.GetProperty("contact");
        Assert.Equal((Number, Name), (profile.GetProperty("waId").GetString(), profile.GetProperty("profileName").GetString()));
        Assert.NotEqual(JsonValueKind.Null, profile.GetProperty("optedOutAt").ValueKind);
        var messages = Assert.Single(export.GetProperty("conversations").EnumerateArray()).GetProperty("messages").EnumerateArray()
            .Select(m => m.GetProperty("text").GetString()).ToList();
        Assert.Equal([Body, Reply, "STOP"], messages);
        Assert.Equal(1, await _db.CountAsync("audit_entries", "action = 'contact.export' AND entity_id = $1", contact));
    }

    [Fact]
    public async Task Another_organisation_gets_404_an_operator_403_and_the_customer_stays_whole()
    {
        var contact = await CustomerWritesAndIsAnsweredAsync();
        using var rival = await _api.SignUpAsync("Rival Sweets", "owner@rival.example");
        (await _owner.PostAsJsonAsync("/api/team/invitations", new { email = "op@canal.example", role = "Operator" }, Ct)).EnsureSuccessStatusCode();
        using (var anonymous = _api.CreateClient())
        {
            (await anonymous.PostAsJsonAsync($"/api/team/invitations/{_api.InvitationTokenSentTo("op@canal.example")}/accept",
                new { name = "Operator", password = ApiFactory.Password }, Ct)).EnsureSuccessStatusCode();
        }

        using var operatorClient = await _api.SignInAsync("op@canal.example", ApiFactory.Password);

        using var byRival = await rival.DeleteAsync($"/api/contacts/{contact}", Ct);
        using var rivalExport = await rival.GetAsync($"/api/contacts/{contact}/export", Ct);
        using var byOperator = await operatorClient.DeleteAsync($"/api/contacts/{contact}", Ct);
        using var operatorExport = await operatorClient.GetAsync($"/api/contacts/{contact}/export", Ct);

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (byRival.StatusCode, rivalExport.StatusCode));
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (byOperator.StatusCode, operatorExport.StatusCode));
        Assert.Equal("application/problem+json", byRival.Content.Headers.ContentType?.MediaType);
        Assert.Equal(2, await _db.CountAsync("messages"));
        Assert.Equal(0, await _db.CountAsync("audit_entries", "action IN ('contact.erase', 'contact.export')"));
    }

    /// <summary>The customer writes with their name, an operator claims and answers; returns the contact.</summary>
    private async Task<Guid> CustomerWritesAndIsAnsweredAsync()
    {
        await SendAsync(Number, Body, Name);
        var conversation = await _db.ScalarAsync<Guid>("SELECT v.id FROM conversations v JOIN contacts k ON k.id = v.contact_id WHERE k.wa_id = $1", Number);
        (await _owner.PostAsync($"/api/conversations/{conversation}/claim", null, Ct)).EnsureSuccessStatusCode();
        (await _owner.PostAsJsonAsync($"/api/conversations/{conversation}/messages", new { text = Reply }, Ct)).EnsureSuccessStatusCode();
        return await _db.ScalarAsync<Guid>("SELECT id FROM contacts WHERE wa_id = $1", Number);
    }

    private async Task SendAsync(string from, string text, string name) =>
        (await _owner.PostAsJsonAsync($"/api/sandbox/connections/{_sandbox}/customer-messages", new { text, from, name }, Ct)).EnsureSuccessStatusCode();

    /// <summary>The whole database as <c>pg_dump</c> writes it: every table, every row, as text.</summary>
    private async Task<string> DumpAsync()
    {
        var connection = new NpgsqlConnectionStringBuilder(_api.DatabaseConnectionString);
        var info = new ProcessStartInfo("/usr/lib/postgresql/15/bin/pg_dump",
            ["-h", connection.Host!, "-p", connection.Port.ToString(), "-U", connection.Username!, "--data-only", "--inserts", connection.Database!])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync(Ct);
        var errors = await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, errors);
        return output;
    }

    public async ValueTask DisposeAsync()
    {
        _owner.Dispose();
        await _api.DisposeAsync();
    }
}
