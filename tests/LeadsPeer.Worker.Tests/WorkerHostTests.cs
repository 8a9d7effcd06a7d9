using System.Net;
using LeadsPeer.Testing;

namespace LeadsPeer.Worker.Tests;

/// <summary>The Worker as its own process, configured by nothing but what each test gives it.</summary>
public sealed class WorkerHostTests(TestStores stores)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Starts_alone_in_development_with_only_the_two_connection_strings_and_reaches_both_stores()
    {
        await using var worker = HostProcess.Start("LeadsPeer.Worker", "Development", new Dictionary<string, string>
        {
            ["ConnectionStrings__leadspeer"] = await stores.CreateMigratedDatabaseAsync(),
            ["ConnectionStrings__redis"] = stores.Redis.ConnectionString,
        });

        var body = await worker.WaitForStatusAsync("/health", HttpStatusCode.OK, Timeout);

        Assert.Contains("\"status\":\"Healthy\"", body);
        Assert.Contains("PostgreSQL answers", body);
        Assert.Contains("Redis answers", body);
    }

    [Fact]
    public async Task Outside_development_a_missing_token_encryption_key_stops_start_up_and_names_the_setting()
    {
        await using var worker = HostProcess.Start("LeadsPeer.Worker", "Production", new Dictionary<string, string>
        {
            ["ConnectionStrings__leadspeer"] = await stores.CreateMigratedDatabaseAsync(),
            ["ConnectionStrings__redis"] = stores.Redis.ConnectionString,
        });

        Assert.True(await worker.WaitForExitAsync(Timeout), "The Worker kept running without its secrets.");
        Assert.NotEqual(0, worker.ExitCode);
        Assert.Contains("TokenProtection:Key", worker.Output);
    }

    [Fact]
    public async Task A_token_encryption_key_of_the_wrong_size_is_refused_at_start_up()
    {
        await using var worker = HostProcess.Start("LeadsPeer.Worker", "Production", new Dictionary<string, string>
        {
            ["ConnectionStrings__leadspeer"] = await stores.CreateMigratedDatabaseAsync(),
            ["ConnectionStrings__redis"] = stores.Redis.ConnectionString,
            ["TokenProtection__Key"] = Convert.ToBase64String(new byte[16]),
        });

        Assert.True(await worker.WaitForExitAsync(Timeout), "The Worker accepted a 128-bit key.");
        Assert.Contains("TokenProtection:Key must be base64 of exactly 32 bytes", worker.Output);
    }
}
