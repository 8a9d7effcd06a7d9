using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsPeer.Core.Privacy;
using LeadsPeer.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LeadsPeer.Api.Tests.Privacy;

/// <summary>
/// Our policy's promise that a closed organisation's data is deleted within 30 days: closing
/// suspends its numbers and its team at once, the Owner can cancel until the purge, and the purge
/// leaves no row with its tenant id in any table while another organisation keeps every row.
/// </summary>
public sealed class ClosureTests(TestStores stores) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private Db _db = null!;
    private HttpClient _owner = null!;
    private HttpClient _admin = null!;
    private Guid _tenant;
    private string _phoneNumberId = null!;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        // The sandbox's Graph calls (a template submitted for review) reach the simulator in this process.
        _api.GraphInProcess = true;
        _db = new Db(_api.DatabaseConnectionString);
        _owner = await _api.SignUpAsync("Closing Cakes", "owner@closing.example");
        _tenant = await _db.ScalarAsync<Guid>("SELECT id FROM organizations");
        using var created = await _owner.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        var sandbox = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        _phoneNumberId = sandbox.GetProperty("phoneNumberId").GetString()!;
        (await _owner.PostAsJsonAsync($"/api/sandbox/connections/{sandbox.GetProperty("id").GetGuid()}/customer-messages",
            new { text = "Is the shop open?", from = "15550001111", name = "Early Bird" }, Ct)).EnsureSuccessStatusCode();
        (await _owner.PostAsJsonAsync("/api/knowledge/faqs", new { question = "Open on Sunday?", answer = "Yes, 9 to 5." }, Ct)).EnsureSuccessStatusCode();
        (await _owner.PostAsJsonAsync("/api/team/invitations", new { email = "admin@closing.example", role = "Admin" }, Ct)).EnsureSuccessStatusCode();
        using (var anonymous = _api.CreateClient())
        {
            (await anonymous.PostAsJsonAsync($"/api/team/invitations/{_api.InvitationTokenSentTo("admin@closing.example")}/accept",
                new { name = "Admin", password = ApiFactory.Password }, Ct)).EnsureSuccessStatusCode();
        }

        _admin = await _api.SignInAsync("admin@closing.example", ApiFactory.Password);
    }

    [Fact]
    public async Task Closing_suspends_the_numbers_and_the_team_at_once_and_cancelling_restores_them()
    {
        using var wrong = await _owner.PostAsJsonAsync("/api/organization/closure", new { confirmation = "closing cakes" }, Ct);
        using var byAdmin = await _admin.PostAsJsonAsync("/api/organization/closure", new { confirmation = "Closing Cakes" }, Ct);
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.Forbidden), (wrong.StatusCode, byAdmin.StatusCode));
        Assert.Null(await _db.ScalarAsync<DateTime?>("SELECT closure_requested_at FROM organizations"));

        using var closed = await _owner.PostAsJsonAsync("/api/organization/closure", new { confirmation = "Closing Cakes" }, Ct);
        using var twice = await _owner.PostAsJsonAsync("/api/organization/closure", new { confirmation = "Closing Cakes" }, Ct);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Conflict), (closed.StatusCode, twice.StatusCode));
        var closure = await closed.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(_api.Clock.GetUtcNow().AddDays(30), closure.GetProperty("purgeAt").GetDateTimeOffset());
        Assert.Equal(1, await _db.CountAsync("whats_app_connections", "suspended_at IS NOT NULL"));
        // The Owner reaches the closure and the privacy page only; the Admin nothing.
        Assert.Equal(HttpStatusCode.Forbidden, (await _owner.GetAsync("/api/conversations", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _owner.GetAsync("/api/organization/privacy", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _admin.GetAsync("/api/organization/privacy", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _admin.GetAsync("/api/conversations", Ct)).StatusCode);
        using (var anonymous = _api.CreateClient())
        {
            using var adminSignIn = await anonymous.PostAsJsonAsync("/api/auth/login", new { email = "admin@closing.example", password = ApiFactory.Password }, Ct);
            using var ownerSignIn = await anonymous.PostAsJsonAsync("/api/auth/login", new { email = "owner@closing.example", password = ApiFactory.Password }, Ct);
            Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.OK), (adminSignIn.StatusCode, ownerSignIn.StatusCode));
            Assert.Contains("only its Owners can sign in", await adminSignIn.Content.ReadAsStringAsync(Ct));
        }

        // Meta's webhooks for the number are answered and nothing is stored.
        Assert.Equal(HttpStatusCode.OK, await WebhookAsync("While closing"));
        Assert.Equal(0, await _db.CountAsync("messages", "text = 'While closing'"));

        using var cancelled = await _owner.DeleteAsync("/api/organization/closure", Ct);
        using var cancelledTwice = await _owner.DeleteAsync("/api/organization/closure", Ct);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.NotFound), (cancelled.StatusCode, cancelledTwice.StatusCode));
        Assert.Equal(0, await _db.CountAsync("whats_app_connections", "suspended_at IS NOT NULL"));
        Assert.Equal(HttpStatusCode.OK, (await _admin.GetAsync("/api/conversations", Ct)).StatusCode);
        using (var signedInAgain = await _api.SignInAsync("admin@closing.example", ApiFactory.Password))
        {
            Assert.Equal(HttpStatusCode.OK, (await signedInAgain.GetAsync("/api/conversations", Ct)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, await WebhookAsync("After reopening"));
        Assert.Equal(1, await _db.CountAsync("messages", "text = 'After reopening'"));
        Assert.Equal(["organization.close", "organization.reopen"],
            (await _db.RowsAsync("SELECT action FROM audit_entries WHERE action LIKE 'organization.%' ORDER BY created_at, id")).Select(r => (string)r[0]!));
    }

    [Fact]
    public async Task The_purge_after_the_grace_period_leaves_no_row_of_the_organisation_in_any_table_and_the_other_untouched()
    {
        using var other = await _api.SignUpAsync("Staying Bakes", "owner@staying.example");
        (await other.PostAsJsonAsync("/api/knowledge/faqs", new { question = "Gluten free?", answer = "Some." }, Ct)).EnsureSuccessStatusCode();
        (await other.PostAsync("/api/whatsapp/connections/sandbox", null, Ct)).EnsureSuccessStatusCode();
        await FillEveryTableAsync();
        (await _owner.PostAsJsonAsync("/api/organization/closure", new { confirmation = "Closing Cakes" }, Ct)).EnsureSuccessStatusCode();
        var tables = await TenantTablesAsync();
        var otherTenant = await _db.ScalarAsync<Guid>("SELECT id FROM organizations WHERE id <> $1", _tenant);
        var otherBefore = await RowsPerTableAsync(tables, otherTenant);
        // Every table with a tenant id holds some of the closing organisation's rows: the purge has each to delete.
        Assert.All(await RowsPerTableAsync(tables, _tenant), t => Assert.True(t.Value > 0, $"{t.Key} holds none of the organisation's rows"));
        var purge = _api.Services.GetRequiredService<TenantPurge>();

        Assert.Equal(0, await purge.RunAsync(_api.Clock.GetUtcNow().AddDays(29), Ct));
        Assert.Equal(1, await _db.CountAsync("organizations", "id = $1", _tenant));
        Assert.Equal(1, await purge.RunAsync(_api.Clock.GetUtcNow().AddDays(30), Ct));

        Assert.All(await RowsPerTableAsync(tables, _tenant), t => Assert.True(t.Value == 0, $"{t.Key}: {t.Value} row(s) left"));
        Assert.Equal(0, await _db.CountAsync("organizations", "id = $1", _tenant));
        Assert.Equal(0, await _db.CountAsync("users", "email IN ('owner@closing.example', 'admin@closing.example')"));
        Assert.Equal(otherBefore, await RowsPerTableAsync(tables, otherTenant));
        using var afterPurge = await _owner.DeleteAsync("/api/organization/closure", Ct);
        Assert.True(afterPurge.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized, $"{(int)afterPurge.StatusCode}");
    }

    [Fact]
    public async Task Once_the_grace_period_has_ended_the_closure_can_no_longer_be_cancelled()
    {
        (await _owner.PostAsJsonAsync("/api/organization/closure", new { confirmation = "Closing Cakes" }, Ct)).EnsureSuccessStatusCode();
        _api.Clock.Advance(TimeSpan.FromDays(30));
        using var owner = await _api.SignInAsync("owner@closing.example", ApiFactory.Password); // the access token expired too

        using var late = await owner.DeleteAsync("/api/organization/closure", Ct);

        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal(1, await _db.CountAsync("organizations", "id = $1 AND closure_requested_at IS NOT NULL", _tenant));
        Assert.Equal(1, await _db.CountAsync("whats_app_connections", "suspended_at IS NOT NULL"));
    }

    /// <summary>
    /// Rows in the tables the Api alone does not fill (the Worker indexes, fetches media and sends),
    /// as those would write them; the rest through the Api.
    /// </summary>
    private async Task FillEveryTableAsync()
    {
        (await _owner.PutAsJsonAsync("/api/agent", new { enabled = true, businessName = "Closing Cakes" }, Ct)).EnsureSuccessStatusCode();
        var connection = await _db.ScalarAsync<Guid>("SELECT id FROM whats_app_connections WHERE tenant_id = $1", _tenant);
        (await _owner.PostAsJsonAsync($"/api/whatsapp/connections/{connection}/templates",
            new { name = "cake_ready", language = "en_US", category = "UTILITY", body = "Your cake {{1}} is ready.", examples = new Dictionary<string, string> { ["1"] = "C-7" } }, Ct)).EnsureSuccessStatusCode();
        using (var keyed = new HttpRequestMessage(HttpMethod.Post, "/api/knowledge/faqs") { Content = JsonContent.Create(new { question = "Vegan?", answer = "Yes." }) })
        {
            keyed.Headers.Add("Idempotency-Key", "faq-vegan");
            (await _owner.SendAsync(keyed, Ct)).EnsureSuccessStatusCode();
        }

        (await _owner.PostAsync("/api/organization/export", null, Ct)).EnsureSuccessStatusCode();
        var message = await _db.ScalarAsync<Guid>("SELECT id FROM messages WHERE tenant_id = $1", _tenant);
        await _db.ExecuteAsync("""
            INSERT INTO knowledge_chunks (id, tenant_id, document_id, ordinal, content, embedding, embedding_dimensions, embedding_model, token_count)
            SELECT gen_random_uuid(), tenant_id, id, 0, 'Yes, 9 to 5.', array_fill(0.1::real, ARRAY[384])::vector, 384, 'all-MiniLM-L6-v2', 4
            FROM knowledge_documents WHERE tenant_id = $1
            """, _tenant);
        await _db.ExecuteAsync("""
            INSERT INTO media_files (id, tenant_id, message_id, media_id, size, content, created_at)
            VALUES (gen_random_uuid(), $1, $2, 'media-1', 1, '\x00', now())
            """, _tenant, message);
        await _db.ExecuteAsync("""
            INSERT INTO parked_statuses (id, tenant_id, wa_message_id, status, occurred_at, created_at)
            VALUES (gen_random_uuid(), $1, 'wamid.parked', 'Delivered', now(), now())
            """, _tenant);
        await _db.ExecuteAsync("""
            INSERT INTO sandbox_messages (id, tenant_id, connection_id, wa_message_id, recipient, type, text, body, created_at)
            VALUES (gen_random_uuid(), $1, $2, 'wamid.sandbox', '15550001111', 'text', 'Yes', '{}', now())
            """, _tenant, connection);
        await _db.ExecuteAsync("""
            INSERT INTO flow_states (id, tenant_id, conversation_id, flow, step, data, started_at, updated_at, expires_at)
            SELECT gen_random_uuid(), tenant_id, id, 'talk-to-person', 'reason', '{}', now(), now(), now() + interval '30 minutes'
            FROM conversations WHERE tenant_id = $1 LIMIT 1
            """, _tenant);
        (await _owner.PutAsJsonAsync("/api/ordering/settings", new { enabled = true, currency = "PKR", referencePrefix = "CC" }, Ct)).EnsureSuccessStatusCode();
        (await _owner.PostAsJsonAsync("/api/catalog/products", new { sku = "CAKE", name = "Closing cake", price = 1200, stock = 2 }, Ct)).EnsureSuccessStatusCode();
        await _db.ExecuteAsync("""
            WITH placed AS (
                INSERT INTO orders (id, tenant_id, reference, cart_id, contact_id, conversation_id, status, fulfilment, payment_method, currency,
                                    subtotal_minor, delivery_fee_minor, total_minor, created_at, updated_at)
                SELECT gen_random_uuid(), tenant_id, 'CC-1001', gen_random_uuid(), contact_id, id, 'New', 'Pickup', 'CashOnDelivery', 'PKR', 120000, 0, 120000, now(), now()
                FROM conversations WHERE tenant_id = $1 LIMIT 1 RETURNING id, tenant_id)
            INSERT INTO order_lines (id, tenant_id, order_id, product_id, sku, name, unit_price_minor, quantity, line_total_minor)
            SELECT gen_random_uuid(), placed.tenant_id, placed.id, p.id, 'CAKE', 'Closing cake', 120000, 1, 120000 FROM placed JOIN products p ON p.tenant_id = placed.tenant_id
            """, _tenant);
        (await _owner.PutAsJsonAsync("/api/booking/hours", new { timeZone = "Asia/Karachi", weekly = new { monday = new[] { new { from = "09:00", to = "17:00" } } } }, Ct))
            .EnsureSuccessStatusCode();
        using var staff = await _owner.PostAsJsonAsync("/api/booking/staff", new { name = "Sara" }, Ct);
        var staffId = (await staff.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        (await _owner.PostAsJsonAsync("/api/booking/services", new { name = "Cake tasting", durationMinutes = 30, staffIds = new[] { staffId } }, Ct)).EnsureSuccessStatusCode();
        await _db.ExecuteAsync("""
            INSERT INTO bookings (id, tenant_id, reference, service_id, service_name, staff_id, staff_name, start_at, end_at, blocked_until, exclusive, status,
                                  contact_id, conversation_id, customer_name, booked_by, created_at, updated_at)
            SELECT gen_random_uuid(), c.tenant_id, 'BK-B-101', s.id, s.name, $2, 'Sara', now(), now() + interval '30 minutes', now() + interval '30 minutes', true, 'Confirmed',
                   c.contact_id, c.id, 'Ayesha', 'Team', now(), now()
            FROM conversations c JOIN booking_services s ON s.tenant_id = c.tenant_id WHERE c.tenant_id = $1 LIMIT 1
            """, _tenant, staffId);
    }

    private async Task<HttpStatusCode> WebhookAsync(string text)
    {
        using var meta = _api.CreateClient();
        using var response = await meta.PostAsync("/webhooks/whatsapp",
            MetaPayloads.Signed(MetaPayloads.Text(_phoneNumberId, "15550001111", MetaPayloads.NewWamid(), text)), Ct);
        return response.StatusCode;
    }

    private async Task<IReadOnlyList<string>> TenantTablesAsync()
    {
        await using var connection = new NpgsqlConnection(_api.DatabaseConnectionString);
        await connection.OpenAsync(Ct);
        return await TenantPurge.TenantTablesAsync(connection, Ct);
    }

    private async Task<Dictionary<string, long>> RowsPerTableAsync(IReadOnlyList<string> tables, Guid tenant)
    {
        var counts = new Dictionary<string, long>();
        foreach (var table in tables)
        {
            counts[table] = await _db.CountAsync($"\"{table}\"", "tenant_id = $1", tenant);
        }

        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        _owner.Dispose();
        _admin.Dispose();
        await _api.DisposeAsync();
    }
}
