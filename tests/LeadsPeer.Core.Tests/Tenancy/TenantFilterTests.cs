using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Tenancy;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Testing;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Tests.Tenancy;

public sealed class TenantFilterTests(TestStores stores) : IAsyncLifetime
{
    private string _connectionString = "";
    private Guid _tenantA;
    private Guid _tenantB;

    public async ValueTask InitializeAsync()
    {
        _connectionString = await stores.CreateMigratedDatabaseAsync();
        _tenantA = await SeedTenantAsync("Alpha Bikes", "1001");
        _tenantB = await SeedTenantAsync("Beta Bakery", "2002");
    }

    [Fact]
    public async Task A_tenant_sees_only_its_own_rows()
    {
        await using var db = TestStores.CreateDbContext(_connectionString, _tenantA);
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal([_tenantA], await db.Organizations.Select(o => o.Id).ToListAsync(ct));
        Assert.Equal(["1001"], await db.WhatsAppConnections.Select(c => c.PhoneNumberId).ToListAsync(ct));
        Assert.All(await db.Contacts.ToListAsync(ct), c => Assert.Equal(_tenantA, c.TenantId));
        Assert.Single(await db.Conversations.ToListAsync(ct));
        Assert.Single(await db.Messages.ToListAsync(ct));
    }

    [Fact]
    public async Task Another_tenants_row_is_not_found_even_by_its_id()
    {
        Guid conversationOfB;
        await using (var dbB = TestStores.CreateDbContext(_connectionString, _tenantB))
        {
            conversationOfB = await dbB.Conversations.Select(c => c.Id).SingleAsync(TestContext.Current.CancellationToken);
        }

        await using var dbA = TestStores.CreateDbContext(_connectionString, _tenantA);

        Assert.Null(await dbA.Conversations.FindAsync([conversationOfB], TestContext.Current.CancellationToken));
        Assert.Equal(0, await dbA.Conversations.Where(c => c.Id == conversationOfB)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.State, ConversationState.Resolved), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_scope_without_a_tenant_sees_nothing_unless_it_crosses_tenants_explicitly()
    {
        await using var db = TestStores.CreateDbContext(_connectionString);
        var ct = TestContext.Current.CancellationToken;

        Assert.Empty(await db.Conversations.ToListAsync(ct));
        Assert.Empty(await db.Organizations.ToListAsync(ct));
        // Webhook routing finds the tenant by phone_number_id: the one sanctioned crossing.
        Assert.Equal(2, await db.WhatsAppConnections.AcrossTenants().CountAsync(ct));
    }

    [Fact]
    public async Task Writing_a_row_for_another_tenant_is_refused_and_nothing_is_stored()
    {
        await using var db = TestStores.CreateDbContext(_connectionString, _tenantA);
        var ct = TestContext.Current.CancellationToken;
        var connection = await db.WhatsAppConnections.SingleAsync(ct);
        db.Contacts.Add(new Contact { TenantId = _tenantB, ConnectionId = connection.Id, CustomerKey = "15550001111", WaId = "15550001111", CreatedAt = DateTimeOffset.UtcNow });

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(ct));

        await using var dbB = TestStores.CreateDbContext(_connectionString, _tenantB);
        Assert.DoesNotContain(await dbB.Contacts.Select(c => c.WaId).ToListAsync(ct), w => w == "15550001111");
    }

    [Fact]
    public async Task New_rows_take_the_scopes_tenant()
    {
        await using var db = TestStores.CreateDbContext(_connectionString, _tenantA);
        var ct = TestContext.Current.CancellationToken;
        var connection = await db.WhatsAppConnections.SingleAsync(ct);
        var contact = new Contact { ConnectionId = connection.Id, CustomerKey = "15550002222", WaId = "15550002222", CreatedAt = DateTimeOffset.UtcNow };
        db.Contacts.Add(contact);

        await db.SaveChangesAsync(ct);

        Assert.Equal(_tenantA, contact.TenantId);
    }

    [Fact]
    public void Every_tenant_owned_entity_has_the_tenant_filter()
    {
        using var db = TestStores.CreateDbContext(_connectionString);

        var tenantOwned = db.Model.GetEntityTypes().Where(t => typeof(ITenantOwned).IsAssignableFrom(t.ClrType)).ToList();

        Assert.True(tenantOwned.Count >= 7, $"Expected the tenant-owned backbone, found {tenantOwned.Count} entity types.");
        Assert.All(tenantOwned, t => Assert.NotNull(t.FindDeclaredQueryFilter(LeadsPeerDbContext.TenantFilter)));
    }

    private async Task<Guid> SeedTenantAsync(string name, string phoneNumberId)
    {
        var organization = new Organization { Name = name, CreatedAt = DateTimeOffset.UtcNow };
        await using var db = TestStores.CreateDbContext(_connectionString, organization.Id);
        db.Organizations.Add(organization);
        var connection = new WhatsAppConnection
        {
            PhoneNumberId = phoneNumberId,
            WabaId = "waba-" + phoneNumberId,
            Kind = WhatsAppConnectionKind.Sandbox,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        var contact = new Contact { ConnectionId = connection.Id, CustomerKey = "1555" + phoneNumberId, WaId = "1555" + phoneNumberId, CreatedAt = DateTimeOffset.UtcNow };
        var conversation = new Conversation { ConnectionId = connection.Id, ContactId = contact.Id, CreatedAt = DateTimeOffset.UtcNow };
        db.AddRange(connection, contact, conversation);
        db.Messages.Add(new Message
        {
            ConversationId = conversation.Id,
            Direction = MessageDirection.Inbound,
            WaMessageId = "wamid." + phoneNumberId,
            Type = "text",
            Text = "Hello",
            Status = MessageStatus.Received,
            CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
        return organization.Id;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
