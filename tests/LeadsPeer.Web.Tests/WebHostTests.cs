using System.Net;
using LeadsPeer.Testing;

namespace LeadsPeer.Web.Tests;

/// <summary>The Web as its own process, configured by nothing but what the test gives it.</summary>
public sealed class WebHostTests(TestStores stores)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Starts_alone_in_development_with_only_the_two_connection_strings_and_serves_the_dashboard_shell()
    {
        await using var web = HostProcess.Start("LeadsPeer.Web", "Development", new Dictionary<string, string>
        {
            ["ConnectionStrings__leadspeer"] = await stores.CreateMigratedDatabaseAsync(),
            ["ConnectionStrings__redis"] = stores.Redis.ConnectionString,
        });

        var health = await web.WaitForStatusAsync("/health", HttpStatusCode.OK, Timeout);
        var home = await web.WaitForStatusAsync("/", HttpStatusCode.OK, Timeout);

        Assert.Contains("\"status\":\"Healthy\"", health);
        Assert.Contains("Leads Peer", home);
        Assert.Contains("href=\"knowledge\"", home);
    }

    [Fact]
    public async Task Outside_development_missing_secrets_stop_start_up_and_name_each_setting()
    {
        await using var web = HostProcess.Start("LeadsPeer.Web", "Production", new Dictionary<string, string>
        {
            ["ConnectionStrings__leadspeer"] = await stores.CreateMigratedDatabaseAsync(),
            ["ConnectionStrings__redis"] = stores.Redis.ConnectionString,
        });

        Assert.True(await web.WaitForExitAsync(Timeout), "The Web kept running without its secrets.");
        Assert.NotEqual(0, web.ExitCode);
        Assert.Contains("TokenProtection:Key", web.Output);
        Assert.Contains("WhatsApp:AppSecret", web.Output);
        Assert.Contains("Email:SmtpHost", web.Output);
    }

    [Fact]
    public async Task An_unknown_address_answers_404_with_the_not_found_page()
    {
        await using var web = HostProcess.Start("LeadsPeer.Web", "Development", new Dictionary<string, string>
        {
            ["ConnectionStrings__leadspeer"] = await stores.CreateMigratedDatabaseAsync(),
            ["ConnectionStrings__redis"] = stores.Redis.ConnectionString,
        });

        var page = await web.WaitForStatusAsync("/no-such-page", HttpStatusCode.NotFound, Timeout);

        Assert.Contains("There is nothing at this address", page);
    }
}
