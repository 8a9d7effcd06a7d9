using Aspire.Hosting.ApplicationModel;
using LeadsPeer.ServiceDefaults;
using Microsoft.Extensions.Configuration;

namespace LeadsPeer.AppHost.Infrastructure;

/// <summary>PostgreSQL's database and Redis as the projects see them, whichever way they run.</summary>
internal sealed record Stores(
    IResourceBuilder<IResourceWithConnectionString> Database,
    IResourceBuilder<IResource> DatabaseServer,
    IResourceBuilder<IResourceWithConnectionString> Redis);

internal static class StoresExtensions
{
    // pgvector's own image: PostgreSQL 17 with the vector extension, pinned.
    private const string PgvectorImage = "pgvector/pgvector";
    private const string PgvectorTag = "0.8.0-pg17";
    private const string RedisTag = "7.4";

    /// <summary>
    /// Containers where a container runtime answers; otherwise the machine's own postgres and
    /// redis-server on loopback. The projects get <c>ConnectionStrings__leadspeer</c> and
    /// <c>ConnectionStrings__redis</c> either way and cannot tell the modes apart.
    /// </summary>
    public static Stores AddStores(this IDistributedApplicationBuilder builder)
    {
        var postgresPassword = builder.AddParameter("postgres-password", secret: true);
        var redisPassword = builder.AddParameter("redis-password", secret: true);

        if (InfrastructureModeDetector.Resolve(builder.Configuration) == InfrastructureMode.Containers)
        {
            var postgres = builder.AddPostgres(ResourceNames.Postgres, password: postgresPassword)
                .WithImage(PgvectorImage, PgvectorTag)
                .WithDataVolume("leadspeer-postgres-data");
            var redis = builder.AddRedis(ResourceNames.Redis, password: redisPassword)
                .WithImageTag(RedisTag)
                .WithDataVolume("leadspeer-redis-data")
                .WithPersistence();
            return new Stores(postgres.AddDatabase(ResourceNames.Database), postgres, redis);
        }

        var dataRoot = Path.GetFullPath(builder.Configuration["Infra:DataPath"] ?? ".data", builder.AppHostDirectory);
        var postgresPort = builder.Configuration.GetValue("Infra:PostgresPort", 5433);
        var redisPort = builder.Configuration.GetValue("Infra:RedisPort", 6380);

        var localPostgres = builder.AddLocalPostgres(ResourceNames.Postgres, postgresPassword, postgresPort, dataRoot);
        var localRedis = builder.AddLocalRedis(ResourceNames.Redis, redisPassword, redisPort, dataRoot);
        return new Stores(localPostgres.AddDatabase(ResourceNames.Database), localPostgres, localRedis);
    }
}
