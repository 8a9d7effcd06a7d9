using System.Text;
using LeadsPeer.Core.Knowledge;
using LeadsPeer.Core.Tenancy;
using LeadsPeer.Core.Work;
using LeadsPeer.Testing;
using LeadsPeer.Worker;
using LeadsPeer.Worker.Work;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LeadsPeer.Knowledge.Benchmarks;

/// <summary>The Worker's services in process (not started) on a database of this machine's PostgreSQL, with the local models.</summary>
public sealed class WorkerServices(IHost host, string database) : IDisposable
{
    public IHost Host { get; } = host;

    public string Database { get; } = database;

    public static WorkerServices Create(string database, string redis, IDictionary<string, string?>? more = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:leadspeer"] = database,
            ["ConnectionStrings:redis"] = redis,
            ["TokenProtection:KeyId"] = "bench",
            ["TokenProtection:Key"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("bench-key-0123456789abcdef012345")),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddWorkerServices();
        return new WorkerServices(builder.Build(), database);
    }

    public async Task<Guid> AddTenantAsync(string name)
    {
        var organization = new Organization { Name = name, CreatedAt = DateTimeOffset.UtcNow };
        await using var db = TestStores.CreateDbContext(Database, organization.Id);
        db.Organizations.Add(organization);
        await db.SaveChangesAsync();
        return organization.Id;
    }

    public async Task<Guid> AddFileAsync(Guid tenantId, string path)
    {
        var content = await File.ReadAllBytesAsync(path);
        var (type, refusal) = KnowledgeFileTypes.Detect(Path.GetFileName(path), content);
        if (type is null)
        {
            throw new InvalidOperationException($"{path}: {refusal}");
        }

        var document = new KnowledgeDocument
        {
            TenantId = tenantId,
            FileName = Path.GetFileName(path),
            ContentType = KnowledgeFileTypes.ContentTypeOf(type.Value),
            SizeBytes = content.Length,
            RawContent = content,
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        };
        await using var db = TestStores.CreateDbContext(Database, tenantId);
        db.KnowledgeDocuments.Add(document);
        await db.SaveChangesAsync();
        return document.Id;
    }

    /// <summary>Runs the Worker's index work for one document, as its runner would.</summary>
    public async Task IndexAsync(Guid tenantId, Guid documentId)
    {
        await using var scope = ScopeFor(tenantId);
        var handler = scope.ServiceProvider.GetServices<IWorkHandler>().Single(h => h.Kind == WorkKind.IndexDocument);
        await handler.HandleAsync(new WorkLease(Guid.NewGuid(), tenantId, WorkKind.IndexDocument, documentId, 0, 0, Guid.NewGuid()), CancellationToken.None);
    }

    public AsyncServiceScope ScopeFor(Guid tenantId)
    {
        var scope = Host.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenantId);
        return scope;
    }

    public void Dispose() => Host.Dispose();
}
