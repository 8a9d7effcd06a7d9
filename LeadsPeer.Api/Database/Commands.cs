using LeadsPeer.Core.Data;
using LeadsPeer.Core.Security;

namespace LeadsPeer.Api.Database;

/// <summary>
/// One-off operations run with the Api's configuration instead of serving:
/// <c>dotnet run --project LeadsPeer.Api -- reencrypt-tokens</c> (after a key rotation).
/// </summary>
public static class Commands
{
    public static async Task<bool> TryRunCommandAsync(this WebApplication app, string[] args)
    {
        if (args is not ["reencrypt-tokens", ..])
        {
            return false;
        }

        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        // The re-encryptor logs how many connections it rewrote.
        await scope.ServiceProvider.GetRequiredService<TokenReEncryptor>().ReEncryptAllAsync(CancellationToken.None);
        return true;
    }
}
