using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace LeadsPeer.Api.Tests.Health;

/// <summary>
/// <c>/health</c> tells a caller on another machine only the statuses; each check's reason (which
/// can name internal hosts and errors) is for callers on the same machine, or everyone when
/// <c>Health:ShowDetails</c> is set.
/// </summary>
public sealed class HealthDetailsTests
{
    private const string Reason = "PostgreSQL unreachable: connection refused (10.0.4.17:5432)";

    [Theory]
    [InlineData("203.0.113.9", null, false)]
    [InlineData("203.0.113.9", "true", true)]
    [InlineData("203.0.113.9", "false", false)]
    [InlineData("127.0.0.1", null, true)]
    [InlineData("::1", null, true)]
    public async Task Only_a_local_caller_or_the_setting_sees_each_checks_reason(string address, string? setting, bool shown)
    {
        var context = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection()
                .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(
                    setting is null ? [] : [new KeyValuePair<string, string?>(Extensions.HealthDetailsSetting, setting)]).Build())
                .BuildServiceProvider(),
        };
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        context.Response.Body = new MemoryStream();
        var report = new HealthReport(new Dictionary<string, HealthReportEntry>
        {
            ["postgres"] = new(HealthStatus.Unhealthy, Reason, TimeSpan.FromMilliseconds(12), null, null),
        }, TimeSpan.FromMilliseconds(12));

        await Extensions.WriteHealthReport(context, report);

        context.Response.Body.Position = 0;
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.Contains("\"status\":\"Unhealthy\"", body);
        Assert.Equal(shown, body.Contains(Reason, StringComparison.Ordinal));
    }
}
