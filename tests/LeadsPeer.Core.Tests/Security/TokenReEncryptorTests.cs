using System.Security.Cryptography;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Security;
using LeadsPeer.Core.Tenancy;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Core.Tests.Security;

public sealed class TokenReEncryptorTests(TestStores stores)
{
    private static readonly string OldKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string NewKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task After_a_rotation_every_organisations_secrets_move_to_the_new_key_and_still_decrypt()
    {
        var connectionString = await stores.CreateMigratedDatabaseAsync();
        var before = Protector("k1", OldKey);
        var ids = new List<(Guid Tenant, Guid Connection)>();
        foreach (var name in new[] { "Tango Tea", "Uniform Umbrellas" })
        {
            var organization = new Organization { Name = name, CreatedAt = DateTimeOffset.UtcNow };
            await using var db = TestStores.CreateDbContext(connectionString, organization.Id);
            var connection = new WhatsAppConnection { PhoneNumberId = "pn-" + organization.Id, WabaId = "w", TenantId = organization.Id, CreatedAt = DateTimeOffset.UtcNow };
            connection.EncryptedAccessToken = before.Protect("token-" + name, SecretBinding.AccessToken(organization.Id, connection.Id));
            connection.EncryptedPin = before.Protect("123456", SecretBinding.RegistrationPin(organization.Id, connection.Id));
            connection.TokenKeyId = "k1";
            db.AddRange(organization, connection);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            ids.Add((organization.Id, connection.Id));
        }

        var rotated = Protector("k2", NewKey, ("k1", OldKey));
        await using (var db = TestStores.CreateDbContext(connectionString))
        {
            var count = await new TokenReEncryptor(db, rotated, NullLogger<TokenReEncryptor>.Instance).ReEncryptAllAsync(TestContext.Current.CancellationToken);
            Assert.Equal(2, count);
        }

        var newKeyOnly = Protector("k2", NewKey);
        await using var check = TestStores.CreateDbContext(connectionString);
        var stored = await check.WhatsAppConnections.AcrossTenants().ToListAsync(TestContext.Current.CancellationToken);
        Assert.All(stored, c =>
        {
            Assert.Equal("k2", c.TokenKeyId);
            Assert.StartsWith("token-", newKeyOnly.Unprotect(c.EncryptedAccessToken!, SecretBinding.AccessToken(c.TenantId, c.Id)));
            Assert.Equal("123456", newKeyOnly.Unprotect(c.EncryptedPin!, SecretBinding.RegistrationPin(c.TenantId, c.Id)));
        });
    }

    private static TokenProtector Protector(string keyId, string key, params (string Id, string Key)[] previous) =>
        new(Options.Create(new TokenProtectionOptions { KeyId = keyId, Key = key, PreviousKeys = previous.ToDictionary(p => p.Id, p => p.Key) }));
}
