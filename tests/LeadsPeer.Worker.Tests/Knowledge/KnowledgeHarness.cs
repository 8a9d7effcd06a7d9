using System.Text;
using LeadsPeer.Core.Agent;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Knowledge;
using LeadsPeer.Core.Tenancy;
using LeadsPeer.Core.Work;
using LeadsPeer.Testing;
using LeadsPeer.Worker.Agent;
using LeadsPeer.Worker.Work;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LeadsPeer.Worker.Tests.Knowledge;

/// <summary>
/// The Worker's knowledge and agent services in process (not started: no consumers run), on a
/// database of their own, configured for the local models or an OpenAI-compatible stub.
/// </summary>
public sealed class KnowledgeHarness : IAsyncDisposable
{
    private KnowledgeHarness(IHost host, string database)
    {
        Host = host;
        Database = database;
        Db = new Db(database);
    }

    public IHost Host { get; }

    public string Database { get; }

    public Db Db { get; }

    /// <param name="services">More services (a test's own tap handler, say), added before the host is built.</param>
    public static async Task<KnowledgeHarness> CreateAsync(TestStores stores, Dictionary<string, string>? ai = null, string? database = null, Action<IServiceCollection>? services = null)
    {
        database ??= await stores.CreateMigratedDatabaseAsync();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:leadspeer"] = database,
            ["ConnectionStrings:redis"] = stores.Redis.ConnectionString,
            ["TokenProtection:KeyId"] = "test",
            ["TokenProtection:Key"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("0123456789abcdef0123456789abcdef")),
        };
        foreach (var (key, value) in ai ?? [])
        {
            settings[key] = value;
        }

        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddWorkerServices();
        services?.Invoke(builder.Services);
        return new KnowledgeHarness(builder.Build(), database);
    }

    public static Dictionary<string, string> OpenAi(OpenAiStub stub, string embeddingModel = "stub-embedding") => new()
    {
        ["AI:Provider"] = "OpenAI",
        ["AI:Endpoint"] = stub.BaseUrl.ToString(),
        ["AI:ApiKey"] = OpenAiStub.ApiKey,
        ["AI:ChatModel"] = "stub-chat",
        ["AI:EmbeddingModel"] = embeddingModel,
        ["AI:EmbeddingDimensions"] = stub.Dimensions.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public async Task<Guid> AddTenantAsync(string name = "Acme Outdoor")
    {
        var organization = new Organization { Name = name, CreatedAt = DateTimeOffset.UtcNow };
        await using var db = TestStores.CreateDbContext(Database, organization.Id);
        db.Organizations.Add(organization);
        await db.SaveChangesAsync();
        return organization.Id;
    }

    public async Task<Guid> AddFileAsync(Guid tenantId, string fileName, byte[] content)
    {
        var (type, refusal) = KnowledgeFileTypes.Detect(fileName, content);
        Assert.True(type is not null, refusal);
        return await AddAsync(tenantId, new KnowledgeDocument
        {
            FileName = fileName,
            ContentType = KnowledgeFileTypes.ContentTypeOf(type!.Value),
            SizeBytes = content.Length,
            RawContent = content,
        });
    }

    public Task<Guid> AddFaqAsync(Guid tenantId, string question, string answer) =>
        AddAsync(tenantId, new KnowledgeDocument
        {
            Kind = KnowledgeKind.Faq,
            FileName = question,
            ContentType = KnowledgeService.FaqContentType,
            Question = question,
            Answer = answer,
        });

    /// <summary>Runs the index work for a document, as the Worker's runner would.</summary>
    public async Task IndexAsync(Guid tenantId, Guid documentId, int attempts = 0)
    {
        await using var scope = ScopeFor(tenantId);
        var handler = scope.ServiceProvider.GetServices<IWorkHandler>().Single(h => h.Kind == WorkKind.IndexDocument);
        var result = await handler.HandleAsync(
            new WorkLease(Guid.NewGuid(), tenantId, WorkKind.IndexDocument, documentId, 0, attempts, Guid.NewGuid()), TestContext.Current.CancellationToken);
        Assert.Equal(WorkResult.Done, result);
    }

    /// <summary>What the agent decides for a customer's question (a conversation of its own, no history).</summary>
    public async Task<AgentDecision> AskAsync(Guid tenantId, string question, AgentSettings? settings = null)
    {
        await using var scope = ScopeFor(tenantId);
        var conversation = new Conversation { TenantId = tenantId, ContactId = Guid.NewGuid(), ConnectionId = Guid.NewGuid() };
        var turn = new List<Message>
        {
            new() { TenantId = tenantId, ConversationId = conversation.Id, Type = "text", Text = question, CreatedAt = DateTimeOffset.UtcNow },
        };
        return await scope.ServiceProvider.GetRequiredService<IReplyComposer>()
            .ComposeAsync(conversation, turn, settings ?? new AgentSettings { TenantId = tenantId }, TestContext.Current.CancellationToken);
    }

    public AsyncServiceScope ScopeFor(Guid tenantId)
    {
        var scope = Host.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenantId);
        return scope;
    }

    private async Task<Guid> AddAsync(Guid tenantId, KnowledgeDocument document)
    {
        document.TenantId = tenantId;
        document.State = KnowledgeDocumentState.Uploaded;
        document.CreatedAt = document.UpdatedAt = DateTimeOffset.UtcNow;
        await using var db = TestStores.CreateDbContext(Database, tenantId);
        db.KnowledgeDocuments.Add(document);
        await db.SaveChangesAsync();
        return document.Id;
    }

    public ValueTask DisposeAsync()
    {
        Host.Dispose();
        return ValueTask.CompletedTask;
    }
}
