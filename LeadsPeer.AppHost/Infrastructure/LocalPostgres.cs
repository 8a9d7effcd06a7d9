using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsPeer.AppHost.Infrastructure;

/// <summary>The machine's own PostgreSQL server (with pgvector), run as an executable resource.</summary>
internal sealed class LocalPostgresResource(string name, string command, string workingDirectory, ParameterResource password)
    : LocalServerResource(name, command, workingDirectory, password)
{
    public override ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={Endpoint.Property(EndpointProperty.IPV4Host)};Port={Endpoint.Property(EndpointProperty.Port)};Username=postgres;Password={Password}");
}

/// <summary>A database on <see cref="LocalPostgresResource"/>. The Api's migrator creates it when missing.</summary>
internal sealed class LocalPostgresDatabaseResource(string name, string databaseName, LocalPostgresResource parent)
    : Resource(name), IResourceWithParent<LocalPostgresResource>, IResourceWithConnectionString
{
    public LocalPostgresResource Parent { get; } = parent;

    public string DatabaseName { get; } = databaseName;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}

internal static class LocalPostgresExtensions
{
    private const string PostgresBin = "/usr/lib/postgresql/15/bin";

    public static IResourceBuilder<LocalPostgresResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ParameterResource> password, int port, string dataRoot)
    {
        var dataDirectory = Path.Combine(dataRoot, "postgres");
        // Loopback TCP only: no Unix socket, so nothing depends on /var/run/postgresql.
        var (command, args) = LocalProcess.AsServiceUser(
            Path.Combine(PostgresBin, "postgres"),
            "-D", dataDirectory, "-p", port.ToString(), "-h", "127.0.0.1", "-c", "unix_socket_directories=");

        var resource = new LocalPostgresResource(name, command, dataRoot, password.Resource);
        string? healthConnectionString = null;

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(resource, async (_, cancellationToken) =>
        {
            LocalProcess.EnsurePortFree(port, name, "Infra:PostgresPort");
            var secret = await password.Resource.GetValueAsync(cancellationToken) ?? "";
            InitializeDataDirectory(dataDirectory, secret);
            // Pooling=false: a pooled idle connection would keep postgres from honouring the smart
            // shutdown that stopping the resource sends, and it would be killed after a timeout.
            healthConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Password={secret};Database=postgres;Pooling=false;Timeout=3";
        });

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(
            _ => healthConnectionString ?? throw new InvalidOperationException("PostgreSQL has not started yet."),
            name: healthCheckKey);

        return builder.AddResource(resource)
            .WithArgs(args)
            .WithEndpoint(name: LocalPostgresResource.EndpointName, scheme: "tcp", port: port, targetPort: port, isProxied: false)
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }

    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<LocalPostgresResource> server, string name)
    {
        var database = new LocalPostgresDatabaseResource(name, name, server.Resource);

        // Nothing runs for a database; it is available as soon as its server is.
        server.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(server.Resource, (@event, _) =>
            @event.Services.GetRequiredService<ResourceNotificationService>()
                .PublishUpdateAsync(database, state => state with { State = KnownResourceStates.Running }));

        return server.ApplicationBuilder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                State = KnownResourceStates.Waiting,
                Properties = [],
                Relationships = [],
            })
            .ExcludeFromManifest()
            .WithParentRelationship(server);
    }

    /// <summary>The first start creates the cluster; later starts reuse it, so data survives restarts.</summary>
    private static void InitializeDataDirectory(string dataDirectory, string password)
    {
        if (File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            return;
        }

        Directory.CreateDirectory(dataDirectory);
        var passwordFile = Path.Combine(dataDirectory, "..", ".pgpass-init");
        File.WriteAllText(passwordFile, password);
        try
        {
            LocalProcess.GiveToServiceUser(dataDirectory);
            LocalProcess.GiveToServiceUser(passwordFile);
            var (command, args) = LocalProcess.AsServiceUser(
                Path.Combine(PostgresBin, "initdb"),
                "-D", dataDirectory, "-U", "postgres", "-E", "UTF8", "--no-locale",
                "--auth-host=scram-sha-256", "--auth-local=peer", "--pwfile=" + passwordFile);
            LocalProcess.Run(command, args);
        }
        catch (InvalidOperationException ex) when (LocalProcess.IsRoot)
        {
            throw new InvalidOperationException(
                $"Could not create the PostgreSQL data folder {dataDirectory}. The postgres user must be able to reach it: " +
                $"make its parent folders traversable (chmod o+x) or point Infra:DataPath elsewhere. {ex.Message}", ex);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }
}
