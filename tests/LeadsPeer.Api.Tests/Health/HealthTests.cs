using System.Net;
using LeadsPeer.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LeadsPeer.Api.Tests.Health;

/// <summary>
/// Store outages as the Api reports them. This class owns its servers: it stops and restarts
/// them, which the assembly's shared servers must never see.
/// </summary>
public sealed class HealthTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(45);
    private PostgresServer _postgres = null!;
    private RedisServer _redis = null!;
    private WebApplicationFactory<Program> _api = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _postgres = await PostgresServer.StartNewAsync();
        _redis = await RedisServer.StartNewAsync();
        _api = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseSetting("ConnectionStrings:leadspeer", _postgres.ConnectionString("leadspeer"));
            host.UseSetting("ConnectionStrings:redis", _redis.ConnectionString);
            host.UseSetting("WhatsApp:AppSecret", MetaPayloads.AppSecret);
        });
        _client = _api.CreateClient();
    }

    [Fact]
    public async Task Health_is_unhealthy_without_postgres_degraded_without_redis_and_recovers_from_both()
    {
        var healthy = await HealthReport.WaitUntilAsync(_client, r => r.Status == "Healthy", Timeout);
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.Equal("Healthy", healthy.Checks["migrations"].Status);

        await _postgres.StopAsync();
        var withoutPostgres = await HealthReport.WaitUntilAsync(_client, r => r.Status == "Unhealthy", Timeout);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, withoutPostgres.StatusCode);
        Assert.StartsWith("PostgreSQL unreachable", withoutPostgres.Checks["postgres"].Description);
        Assert.DoesNotContain('\n', withoutPostgres.Checks["postgres"].Description!);
        // Liveness is about the process, not its stores: an orchestrator must not restart it for this.
        Assert.Equal(HttpStatusCode.OK, (await HealthReport.GetAsync(_client, "/alive")).StatusCode);
        // A webhook that cannot be stored is 503 with Retry-After (Meta delivers it again), not a 500.
        var webhook = MetaPayloads.Text("106540352242922", "16505551234", MetaPayloads.NewWamid(), "Hello?");
        using (var notStored = await _client.PostAsync("/webhooks/whatsapp", MetaPayloads.Signed(webhook), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notStored.StatusCode);
            Assert.Equal("5", notStored.Headers.RetryAfter?.ToString());
            Assert.Contains("deliver it again", await notStored.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        await _postgres.StartAsync();
        await HealthReport.WaitUntilAsync(_client, r => r.Status == "Healthy", Timeout);
        using (var stored = await _client.PostAsync("/webhooks/whatsapp", MetaPayloads.Signed(webhook), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        }

        await _redis.StopAsync();
        var withoutRedis = await HealthReport.WaitUntilAsync(_client, r => r.Status == "Degraded", Timeout);
        // Degraded still answers 200: losing Redis must never stop webhooks from being stored.
        Assert.Equal(HttpStatusCode.OK, withoutRedis.StatusCode);
        Assert.Equal("Degraded", withoutRedis.Checks["redis"].Status);
        Assert.Equal("Healthy", withoutRedis.Checks["postgres"].Status);

        await _redis.StartAsync();
        var recovered = await HealthReport.WaitUntilAsync(_client, r => r.Status == "Healthy", Timeout);
        Assert.Equal("Healthy", recovered.Checks["redis"].Status);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _api.DisposeAsync();
        await _postgres.DisposeAsync();
        await _redis.DisposeAsync();
    }
}
