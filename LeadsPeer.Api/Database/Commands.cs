using System.Globalization;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Privacy;
using LeadsPeer.Core.Security;

namespace LeadsPeer.Api.Database;

/// <summary>
/// One-off operations run with the Api's configuration instead of serving:
/// <c>dotnet run --project LeadsPeer.Api -- reencrypt-tokens</c> (after a key rotation), and
/// <c>dotnet run --project LeadsPeer.Api -- purge --as-of 2027-01-15</c> (retention and the purge
/// of closed organisations as they would run on that date; without <c>--as-of</c>, now).
/// </summary>
public static class Commands
{
    public static async Task<bool> TryRunCommandAsync(this WebApplication app, string[] args)
    {
        if (args is not ["reencrypt-tokens", ..] and not ["purge", ..])
        {
            return false;
        }

        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        if (args is ["reencrypt-tokens", ..])
        {
            // The re-encryptor logs how many connections it rewrote.
            await scope.ServiceProvider.GetRequiredService<TokenReEncryptor>().ReEncryptAllAsync(CancellationToken.None);
            return true;
        }

        var asOf = args is [_, "--as-of", var date, ..]
            ? DateTimeOffset.Parse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : TimeProvider.System.GetUtcNow();
        var touched = await app.Services.GetRequiredService<Retention>().RunAsync(asOf, CancellationToken.None);
        var purged = await app.Services.GetRequiredService<TenantPurge>().RunAsync(asOf, CancellationToken.None);
        foreach (var (job, rows) in touched)
        {
            Console.WriteLine($"retention {job}: {rows}");
        }

        Console.WriteLine($"organisations purged as of {asOf:u}: {purged}");
        return true;
    }
}
