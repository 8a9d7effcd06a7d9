using System.Net;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Testing;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Web.Tests;

/// <summary>
/// The Web as its own process: a dashboard page that takes an id shows another organisation's
/// real conversation to nobody, and at Trace level its logs hold no number, name or message body.
/// </summary>
public sealed class DashboardPrivacyTests(TestStores stores)
{
    private const string Number = "923001234567";
    private const string ProfileName = "Sheena Nelson";
    private const string Body = "my card number is 4111 1111";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Another_organisations_conversation_by_its_id_is_not_found_and_its_own_organisation_sees_it()
    {
        var database = await stores.CreateMigratedDatabaseAsync();
        await using var web = await StartWebAsync(database);
        using var harbour = await WebForms.SignUpAsync(web, "Harbour Hats", "hana@harbour.example");
        using var bay = await WebForms.SignUpAsync(web, "Bay Boots", "bo@bay.example");
        var conversation = await SeedConversationAsync(database, "bo@bay.example");

        var theirs = await bay.GetStringAsync($"/conversations/{conversation}", Ct);
        var ours = await harbour.GetStringAsync($"/conversations/{conversation}", Ct);

        Assert.Contains(ProfileName, theirs);
        Assert.Contains(Body, theirs);
        Assert.Contains("Conversation not found", ours);
        Assert.DoesNotContain(ProfileName, ours);
        Assert.DoesNotContain(Body, ours);
        Assert.DoesNotContain(Number, ours);
    }

    [Fact]
    public async Task Another_organisations_order_by_its_id_is_not_found_and_its_own_organisation_sees_it()
    {
        var database = await stores.CreateMigratedDatabaseAsync();
        await using var web = await StartWebAsync(database);
        using var harbour = await WebForms.SignUpAsync(web, "Harbour Hats", "hana@harbour.example");
        using var bay = await WebForms.SignUpAsync(web, "Bay Boots", "bo@bay.example");
        var conversation = await SeedConversationAsync(database, "bo@bay.example");
        var order = await new Db(database).ScalarAsync<Guid>("""
            INSERT INTO orders (id, tenant_id, reference, cart_id, contact_id, conversation_id, customer_name, status, fulfilment, payment_method, currency,
                                subtotal_minor, delivery_fee_minor, total_minor, created_at, updated_at)
            SELECT gen_random_uuid(), tenant_id, 'BB-1001', gen_random_uuid(), contact_id, id, $2, 'New', 'Pickup', 'CashOnDelivery', 'PKR', 30000, 0, 30000, now(), now()
            FROM conversations WHERE id = $1 RETURNING id
            """, conversation, ProfileName);

        var theirs = await bay.GetStringAsync($"/orders/{order}", Ct);
        var ours = await harbour.GetStringAsync($"/orders/{order}", Ct);

        Assert.Contains("BB-1001", theirs);
        Assert.Contains(ProfileName, theirs);
        Assert.Contains("This order does not exist in your organisation.", ours);
        Assert.DoesNotContain("BB-1001", ours);
        Assert.DoesNotContain(ProfileName, ours);
    }

    /// <summary>
    /// Every dashboard page that takes a value in its route, and the test that proves another
    /// organisation cannot see through it. A page added without an entry fails here.
    /// </summary>
    private static readonly Dictionary<string, string> PagesWithIds = new()
    {
        ["/conversations/{Id:guid}"] = nameof(Another_organisations_conversation_by_its_id_is_not_found_and_its_own_organisation_sees_it),
        ["/orders/{Id:guid}"] = nameof(Another_organisations_order_by_its_id_is_not_found_and_its_own_organisation_sees_it),
        // The token is the credential (emailed to one person, single use), not an organisation's id: WebHostTests.
        ["/invitations/{Token}"] = "WebHostTests.An_invited_colleague_joins_through_the_invitation_page_and_a_forgotten_password_is_reset_by_email",
    };

    [Fact]
    public void Every_page_that_takes_an_id_has_its_cross_tenant_test()
    {
        var templates = typeof(LeadsPeer.Web.Components.App).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes(typeof(Microsoft.AspNetCore.Components.RouteAttribute), inherit: false))
            .Cast<Microsoft.AspNetCore.Components.RouteAttribute>()
            .Select(r => r.Template)
            .Where(t => t.Contains('{', StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(PagesWithIds.Keys.Order(StringComparer.Ordinal), templates);
    }

    [Fact]
    public async Task At_trace_level_the_logs_hold_no_number_profile_name_or_message_body()
    {
        var database = await stores.CreateMigratedDatabaseAsync();
        await using var web = await StartWebAsync(database, TraceLogging.Settings("__"));
        using var owner = await WebForms.SignUpAsync(web, "Harbour Hats", "hana@harbour.example");
        var conversation = await SeedConversationAsync(database, "hana@harbour.example");

        var page = await owner.GetStringAsync($"/conversations/{conversation}", Ct);
        // The page did show them: the logs had every chance to.
        Assert.Contains(Body, page);
        Assert.Contains(ProfileName, page);
        var output = web.Output;
        Assert.Contains("trce: Microsoft.AspNetCore.", output);
        Assert.Contains("dbug: Microsoft.EntityFrameworkCore.", output);
        Assert.DoesNotContain(Number, output);
        Assert.DoesNotContain(ProfileName, output);
        Assert.DoesNotContain("4111 1111", output);
        Assert.DoesNotContain("correct horse battery staple", output);
    }

    private async Task<HostProcess> StartWebAsync(string database, Dictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__leadspeer"] = database,
            ["ConnectionStrings__redis"] = stores.Redis.ConnectionString,
        };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        var web = HostProcess.Start("LeadsPeer.Web", "Development", settings, keepLines: 200_000);
        await web.WaitForStatusAsync("/health", HttpStatusCode.OK, Timeout);
        return web;
    }

    /// <summary>A customer's conversation in the owner's organisation, as webhook ingest stores it.</summary>
    private static async Task<Guid> SeedConversationAsync(string database, string ownerEmail)
    {
        Guid tenant;
        await using (var db = TestStores.CreateDbContext(database))
        {
            tenant = (await db.Users.SingleAsync(u => u.Email == ownerEmail)).CurrentOrganizationId!.Value;
        }

        await using var tenantDb = TestStores.CreateDbContext(database, tenant);
        var now = DateTimeOffset.UtcNow;
        var connection = new WhatsAppConnection
        {
            TenantId = tenant,
            PhoneNumberId = "1065" + Random.Shared.Next(10_000_000, 99_999_999),
            WabaId = "102290129340398",
            Kind = WhatsAppConnectionKind.Sandbox,
            Status = WhatsAppConnectionStatus.Active,
            CreatedAt = now,
        };
        var contact = new Contact { TenantId = tenant, ConnectionId = connection.Id, CustomerKey = Number, WaId = Number, ProfileName = ProfileName, CreatedAt = now };
        var conversation = new Conversation
        {
            TenantId = tenant, ConnectionId = connection.Id, ContactId = contact.Id, CreatedAt = now,
            LastInboundAt = now, LastMessageAt = now, WindowExpiresAt = now.AddHours(24),
        };
        tenantDb.AddRange(connection, contact, conversation, new Message
        {
            TenantId = tenant, ConversationId = conversation.Id, Direction = MessageDirection.Inbound, WaMessageId = MetaPayloads.NewWamid(),
            Type = "text", Text = Body, Status = MessageStatus.Received, Author = MessageAuthor.Customer, CreatedAt = now,
        });
        await tenantDb.SaveChangesAsync();
        return conversation.Id;
    }
}
