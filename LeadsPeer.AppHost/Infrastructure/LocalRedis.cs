using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsPeer.AppHost.Infrastructure;

/// <summary>The machine's own <c>redis-server</c>, run as an executable resource.</summary>
internal sealed class LocalRedisResource(string name, string command, string workingDirectory, ParameterResource password)
    : LocalServerResource(name, command, workingDirectory, password)
{
    public override ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{Endpoint.Property(EndpointProperty.IPV4Host)}:{Endpoint.Property(EndpointProperty.Port)},password={Password}");
}

internal static class LocalRedisExtensions
{
    public static IResourceBuilder<LocalRedisResource> AddLocalRedis(
        this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ParameterResource> password, int port, string dataRoot)
    {
        var dataDirectory = Path.Combine(dataRoot, "redis");
        var configFile = Path.Combine(dataDirectory, "redis.conf");
        var resource = new LocalRedisResource(name, "redis-server", dataRoot, password.Resource);
        string? healthConnectionString = null;

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(resource, async (_, cancellationToken) =>
        {
            LocalProcess.EnsurePortFree(port, name, "Infra:RedisPort");
            var secret = await password.Resource.GetValueAsync(cancellationToken) ?? "";
            Directory.CreateDirectory(dataDirectory);
            // The password goes in a private file, not on the command line where `ps` shows it.
            // Append-only persistence keeps streams and pending work across restarts.
            await File.WriteAllTextAsync(configFile, $"""
                bind 127.0.0.1
                port {port}
                protected-mode yes
                dir {dataDirectory}
                appendonly yes
                save ""
                requirepass "{secret}"
                """, cancellationToken);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(configFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            healthConnectionString = $"127.0.0.1:{port},password={secret},abortConnect=false,connectTimeout=2000";
        });

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddRedis(
            _ => healthConnectionString ?? throw new InvalidOperationException("Redis has not started yet."),
            name: healthCheckKey);

        return builder.AddResource(resource)
            .WithArgs(configFile)
            .WithEndpoint(name: LocalRedisResource.EndpointName, scheme: "tcp", port: port, targetPort: port, isProxied: false)
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }
}
