using Aspire.Hosting;
using Aspire.Hosting.Testing;
using LeadsPeer.ServiceDefaults;
using LeadsPeer.Testing;

namespace LeadsPeer.EndToEnd.Tests;

/// <summary>
/// The whole product as the README's run command starts it: the real AppHost, here in local
/// mode (the machine's own postgres and redis-server) on ports and a data folder of the test's own.
/// </summary>
public sealed class ProductFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    public ProductFixture()
    {
        DataPath = Directory.CreateTempSubdirectory("leadspeer-e2e-").FullName;
        // The postgres user must be able to reach the data folder.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(DataPath, (UnixFileMode)0b111_101_101);
        }

        PostgresPort = Ports.Free();
        RedisPort = Ports.Free();
    }

    public string DataPath { get; }
    public int PostgresPort { get; }
    public int RedisPort { get; }
    public DistributedApplication App { get; private set; } = null!;

    public async ValueTask InitializeAsync() => App = await StartAsync();

    /// <summary>Starts the AppHost and waits until every project reports healthy.</summary>
    public async Task<DistributedApplication> StartAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.LeadsPeer_AppHost>(
        [
            "Infra:Mode=local",
            $"Infra:PostgresPort={PostgresPort}",
            $"Infra:RedisPort={RedisPort}",
            $"Infra:DataPath={DataPath}",
        ]);
        var app = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await app.StartAsync(timeout.Token);
        foreach (var resource in new[] { ResourceNames.Api, ResourceNames.Worker, ResourceNames.Web })
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
        }

        return app;
    }

    public async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataPath, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A temporary folder left behind is harmless.
        }
    }
}

/// <summary>Test classes that share one running product (starting it takes tens of seconds).</summary>
[CollectionDefinition(Name)]
public sealed class ProductCollection : ICollectionFixture<ProductFixture>
{
    public const string Name = "Product";
}
