using System.Net;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.Health;

/// <summary>The Api as its own process, configured by nothing but what each test gives it.</summary>
public sealed class ApiHostTests(TestStores stores)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Starts_alone_in_development_with_only_the_two_connection_strings_and_migrates_an_empty_database()
    {
        var database = await stores.CreateEmptyDatabaseAsync();
        await using var api = HostProcess.Start("LeadsPeer.Api", "Development", new Dictionary<string, string>
        {
            ["ConnectionStrings__leadspeer"] = database,
            ["ConnectionStrings__redis"] = stores.Redis.ConnectionString,
        });

        var body = await api.WaitForStatusAsync("/health", HttpStatusCode.OK, Timeout);

        Assert.Contains("\"status\":\"Healthy\"", body);
        Assert.Contains("Schema is up to date", body);
    }

    [Fact]
    public async Task Outside_development_a_missing_secret_stops_start_up_and_names_the_setting()
    {
        await using var api = HostProcess.Start("LeadsPeer.Api", "Production", new Dictionary<string, string>
        {
            ["ConnectionStrings__leadspeer"] = await stores.CreateEmptyDatabaseAsync(),
            ["ConnectionStrings__redis"] = stores.Redis.ConnectionString,
        });

        Assert.True(await api.WaitForExitAsync(Timeout), "The Api kept running without its secrets.");
        Assert.NotEqual(0, api.ExitCode);
        Assert.Contains("WhatsApp:AppSecret", api.Output);
        Assert.Contains("WhatsApp:VerifyToken", api.Output);
        Assert.Contains("TokenProtection:Key", api.Output);
        Assert.Contains("Sandbox:SigningKey", api.Output);
    }

    [Fact]
    public async Task Outside_development_the_development_secret_values_are_refused_and_named()
    {
        await using var api = HostProcess.Start("LeadsPeer.Api", "Production", new Dictionary<string, string>
        {
            ["ConnectionStrings__leadspeer"] = await stores.CreateEmptyDatabaseAsync(),
            ["ConnectionStrings__redis"] = stores.Redis.ConnectionString,
            // As if appsettings.Development.json had been copied into production's environment.
            ["WhatsApp__AppSecret"] = "development-app-secret-change-me",
            ["WhatsApp__VerifyToken"] = "a-real-verify-token",
            ["TokenProtection__Key"] = "58MAiwqrW7zt/NbG/0TjEb0z1ONsdKk1pXmPE6VpgbI=",
            ["Sandbox__SigningKey"] = "development-sandbox-signing-key-change-me",
        });

        Assert.True(await api.WaitForExitAsync(Timeout), "The Api started with the repository's development secrets.");
        Assert.NotEqual(0, api.ExitCode);
        Assert.Contains("WhatsApp:AppSecret, TokenProtection:Key, Sandbox:SigningKey: the development value is not accepted outside Development", api.Output);
        Assert.DoesNotContain("WhatsApp:VerifyToken,", api.Output);
    }

    [Fact]
    public async Task An_unreachable_database_gives_an_unhealthy_health_with_a_one_line_reason_not_a_crash()
    {
        var nowhere = $"Host=127.0.0.1;Port={Ports.Free()};Username=postgres;Database=leadspeer;Timeout=2";
        await using var api = HostProcess.Start("LeadsPeer.Api", "Development", new Dictionary<string, string>
        {
            ["ConnectionStrings__leadspeer"] = nowhere,
            ["ConnectionStrings__redis"] = stores.Redis.ConnectionString,
        });

        var body = await api.WaitForStatusAsync("/health", HttpStatusCode.ServiceUnavailable, Timeout);
        var stackFramesBefore = StackFrames(api.Output);
        // The migrator and the health checks retry: they must wait, not crash or spew stack traces.
        // The positive marker: the migrator has said it is waiting at least twice.
        await Eventually.TrueAsync(() => Task.FromResult(api.Output.Split('\n').Count(l => l.Contains("Database not reachable yet")) >= 2),
            "the migrator retries", Timeout);
        await api.WaitForStatusAsync("/health", HttpStatusCode.ServiceUnavailable, Timeout);

        Assert.False(api.HasExited, api.Output);
        Assert.Contains("PostgreSQL unreachable", body);
        Assert.True(api.Output.Split('\n').Count(l => l.Contains("Database not reachable yet")) >= 2, api.Output);
        Assert.Equal(stackFramesBefore, StackFrames(api.Output));
    }

    private static int StackFrames(string output) =>
        output.Split('\n').Count(line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
}
