using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsPeer.Core.Privacy;
using LeadsPeer.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsPeer.Api.Tests.Privacy;

/// <summary>
/// Our policy's promise of limited retention: each kind of row we keep for a while goes once its
/// time is up and not before, audit addresses keep only their network, and an organisation's own
/// conversation retention deletes its old conversations only.
/// </summary>
public sealed class RetentionTests(TestStores stores) : IAsyncLifetime
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
        _owner = await _api.SignUpAsync("Keeping Kitchens", "owner@keeping.example");
        using var created = await _owner.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        _sandbox = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task Each_kind_of_kept_row_goes_after_its_period_and_not_before()
    {
        await CustomerWritesAsync("15550002001", "Old question");
        await CustomerWritesAsync("15550002002", "New question");
        var (old, recent) = (await ConversationOfAsync("15550002001"), await ConversationOfAsync("15550002002"));
        var now = _api.Clock.GetUtcNow();
        foreach (var conversation in new[] { old, recent })
        {
            var message = await _db.ScalarAsync<Guid>("SELECT id FROM messages WHERE conversation_id = $1", conversation);
            var at = conversation == old ? now.AddDays(-91) : now.AddDays(-2);
            await _db.ExecuteAsync("""
                INSERT INTO media_files (id, tenant_id, message_id, media_id, size, content, created_at)
                SELECT gen_random_uuid(), tenant_id, id, 'media-' || id, 1, '\x00', $2 FROM messages WHERE id = $1
                """, message, at);
            await _db.ExecuteAsync("""
                INSERT INTO parked_statuses (id, tenant_id, wa_message_id, status, occurred_at, created_at)
                SELECT gen_random_uuid(), tenant_id, 'wamid.parked.' || id, 'Delivered', $2, $2 FROM messages WHERE id = $1
                """, message, at);
        }

        await _db.ExecuteAsync("UPDATE parked_statuses SET created_at = $1 WHERE created_at < $2", now.AddDays(-8), now.AddDays(-3));
        await _db.ExecuteAsync("UPDATE work_items SET state = 'Done', updated_at = $1", now.AddDays(-8));
        await _db.ExecuteAsync("UPDATE sandbox_messages SET created_at = $1", now.AddDays(-31));
        await _db.ExecuteAsync("UPDATE audit_entries SET ip_address = '203.0.113.77', created_at = $1", now.AddDays(-91));
        await _db.ExecuteAsync("INSERT INTO erased_messages (hash, expires_at) VALUES ('\\x01', $1), ('\\x02', $2)", now.AddDays(-1), now.AddDays(1));
        var workBefore = await _db.CountAsync("work_items");

        var touched = await _api.Services.GetRequiredService<Retention>().RunAsync(now, Ct);

        Assert.Equal(1, await _db.CountAsync("media_files"));
        Assert.Equal(1, await _db.CountAsync("parked_statuses"));
        Assert.True(workBefore > 0);
        Assert.Equal(0, await _db.CountAsync("work_items"));
        Assert.Equal(0, await _db.CountAsync("erased_messages", "hash = '\\x01'"));
        Assert.Equal(1, await _db.CountAsync("erased_messages", "hash = '\\x02'"));
        Assert.Equal(["203.0.113.0/24"], (await _db.RowsAsync("SELECT DISTINCT ip_address FROM audit_entries")).Select(r => (string?)r[0]));
        Assert.Equal((1, 1, workBefore), (touched["media_files"], touched["parked_statuses"], touched["work_items"]));
        // Conversations are kept until the business says otherwise.
        Assert.Equal(2, await _db.CountAsync("conversations"));
    }

    [Fact]
    public async Task An_organisations_conversation_retention_deletes_its_old_conversations_only()
    {
        using var rival = await _api.SignUpAsync("Rival Kitchens", "owner@rival.example");
        using var rivalSandbox = await rival.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        var theirs = (await rivalSandbox.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        (await rival.PostAsJsonAsync($"/api/sandbox/connections/{theirs}/customer-messages", new { text = "Theirs", from = "15550002009" }, Ct)).EnsureSuccessStatusCode();
        await CustomerWritesAsync("15550002001", "Old question");
        await CustomerWritesAsync("15550002002", "New question");
        var now = _api.Clock.GetUtcNow();
        await _db.ExecuteAsync("UPDATE conversations SET last_message_at = $1", now.AddMonths(-7));
        await _db.ExecuteAsync("""
            UPDATE conversations SET last_message_at = $1
            WHERE contact_id = (SELECT id FROM contacts WHERE wa_id = '15550002002')
            """, now.AddMonths(-5));

        using var zero = await _owner.PutAsJsonAsync("/api/organization/privacy/retention", new { conversationRetentionMonths = 0 }, Ct);
        using var negative = await _owner.PutAsJsonAsync("/api/organization/privacy/retention", new { conversationRetentionMonths = -3 }, Ct);
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (zero.StatusCode, negative.StatusCode));
        await _api.Services.GetRequiredService<Retention>().RunAsync(now, Ct);
        Assert.Equal(3, await _db.CountAsync("conversations"));

        using var set = await _owner.PutAsJsonAsync("/api/organization/privacy/retention", new { conversationRetentionMonths = 6 }, Ct);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(6, (await set.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("conversationRetentionMonths").GetInt32());
        var touched = await _api.Services.GetRequiredService<Retention>().RunAsync(now, Ct);

        Assert.Equal(1, touched["conversations"]);
        Assert.Equal(["15550002002", "15550002009"], (await _db.RowsAsync("SELECT k.wa_id FROM contacts k ORDER BY k.wa_id")).Select(r => (string)r[0]!));
        Assert.Equal(0, await _db.CountAsync("messages", "text = 'Old question'"));
        Assert.Equal(1, await _db.CountAsync("audit_entries", "action = 'contact.expire' AND user_id IS NULL"));
    }

    private async Task CustomerWritesAsync(string from, string text) =>
        (await _owner.PostAsJsonAsync($"/api/sandbox/connections/{_sandbox}/customer-messages", new { text, from }, Ct)).EnsureSuccessStatusCode();

    private Task<Guid> ConversationOfAsync(string number) =>
        _db.ScalarAsync<Guid>("SELECT v.id FROM conversations v JOIN contacts k ON k.id = v.contact_id WHERE k.wa_id = $1", number);

    public async ValueTask DisposeAsync()
    {
        _owner.Dispose();
        await _api.DisposeAsync();
    }
}
