using Aspire.Hosting;
using Aspire.Hosting.Testing;
using LeadsPeer.ServiceDefaults;
using Npgsql;

namespace LeadsPeer.EndToEnd.Tests;

public sealed class RestartTests
{
    [Fact]
    public async Task Stopping_and_starting_the_product_again_keeps_the_database_contents()
    {
        await using var product = new ProductFixture();
        var organizationId = Guid.NewGuid();

        await using (var first = await product.StartAsync())
        {
            await ExecuteAsync(first, "INSERT INTO organizations (id, name, created_at) VALUES ($1, 'Kept Across Restarts', now())", organizationId);
        }

        await using var second = await product.StartAsync();
        var name = await ExecuteAsync(second, "SELECT name FROM organizations WHERE id = $1", organizationId);

        Assert.Equal("Kept Across Restarts", name);
    }

    private static async Task<object?> ExecuteAsync(DistributedApplication app, string sql, Guid id)
    {
        var connectionString = await app.GetConnectionStringAsync(ResourceNames.Database, TestContext.Current.CancellationToken);
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(id);
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }
}
