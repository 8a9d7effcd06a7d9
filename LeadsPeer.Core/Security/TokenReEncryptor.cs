using LeadsPeer.Core.Data;
using LeadsPeer.Core.WhatsApp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LeadsPeer.Core.Security;

/// <summary>
/// After a key rotation, encrypts every stored secret again with the active key, so the
/// previous key can then be retired. Runs over all organisations: an operations task, the one
/// sanctioned reason for this code to cross tenants.
/// </summary>
public sealed class TokenReEncryptor(LeadsPeerDbContext db, TokenProtector protector, ILogger<TokenReEncryptor> logger)
{
    /// <returns>How many connections were re-encrypted.</returns>
    public async Task<int> ReEncryptAllAsync(CancellationToken cancellationToken)
    {
        var connections = await db.WhatsAppConnections.AcrossTenants()
            .Where(c => c.EncryptedAccessToken != null || c.EncryptedPin != null)
            .ToListAsync(cancellationToken);

        var changed = 0;
        foreach (var connection in connections)
        {
            var rewritten = false;
            if (connection.EncryptedAccessToken is { } token && protector.NeedsReEncryption(token))
            {
                var binding = SecretBinding.AccessToken(connection.TenantId, connection.Id);
                connection.EncryptedAccessToken = protector.Protect(protector.Unprotect(token, binding), binding);
                connection.TokenKeyId = protector.ActiveKeyId;
                rewritten = true;
            }

            if (connection.EncryptedPin is { } pin && protector.NeedsReEncryption(pin))
            {
                var binding = SecretBinding.RegistrationPin(connection.TenantId, connection.Id);
                connection.EncryptedPin = protector.Protect(protector.Unprotect(pin, binding), binding);
                rewritten = true;
            }

            changed += rewritten ? 1 : 0;
        }

        // One transaction: a failure part-way leaves every secret as it was, all still readable.
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Re-encrypted the secrets of {Count} of {Total} connection(s) with key {KeyId}", changed, connections.Count, protector.ActiveKeyId);
        return changed;
    }
}
