using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using LeadsPeer.ServiceDefaults;
using LeadsPeer.Testing;
using Npgsql;

namespace LeadsPeer.EndToEnd.Tests;

[Collection(ProductCollection.Name)]
public sealed class ProductTests(ProductFixture product)
{
    [Fact]
    public async Task The_api_reports_healthy_with_both_stores_and_the_schema_migrated()
    {
        using var api = product.App.CreateHttpClient(ResourceNames.Api);

        var health = await HealthReport.GetAsync(api);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", health.Status);
        Assert.Equal("Healthy", health.Checks["postgres"].Status);
        Assert.Equal("Healthy", health.Checks["redis"].Status);
        Assert.Equal("Healthy", health.Checks["migrations"].Status);
    }

    [Fact]
    public async Task The_web_serves_the_dashboard_home_page()
    {
        using var web = product.App.CreateHttpClient(ResourceNames.Web);

        using var response = await web.GetAsync("/", TestContext.Current.CancellationToken);
        var page = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // An anonymous visitor gets the sign-in page (the dashboard itself needs an account).
        Assert.Contains("<title>Sign in · Leads Peer</title>", page);
    }

    [Fact]
    public async Task The_projects_receive_the_database_and_redis_connection_strings_of_the_local_servers()
    {
        var database = await product.App.GetConnectionStringAsync(ResourceNames.Database, TestContext.Current.CancellationToken);
        var redis = await product.App.GetConnectionStringAsync(ResourceNames.Redis, TestContext.Current.CancellationToken);

        Assert.Contains($"Port={product.PostgresPort}", database);
        Assert.Contains("Database=leadspeer", database);
        Assert.StartsWith($"127.0.0.1:{product.RedisPort}", redis);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_extension WHERE extname = 'vector'", connection);
        Assert.Equal(1L, await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }
}
