using LeadsPeer.Core.Data;
using LeadsPeer.ServiceDefaults;
using System.Text;
using System.Text.Json.Nodes;
using LeadsPeer.Core;
using LeadsPeer.Core.Knowledge;
using LeadsPeer.Core.Security;
using LeadsPeer.Core.Tenancy;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Core.WhatsApp.Templates;
using LeadsPeer.Core.WhatsApp.Webhooks;
using LeadsPeer.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LeadsPeer.Worker.Tests.Channel;

/// <summary>
/// One tenant with one WhatsApp number on its own database, a Graph stub standing in for Meta,
/// the webhook path (the same Core code the Api runs) to deliver customer messages, and the
/// Worker as its own process — killable, restartable — configured with short quiet times and
/// leases so crashes are recovered in seconds.
/// </summary>
public sealed class ChannelHarness : IAsyncDisposable
{
    public const string Customer = "16505551234";
    public const string BusinessToken = "EAAG-business-token-for-tests";

    /// <summary>The tenant's one FAQ answer; with no threshold the local answerer quotes it for every turn.</summary>
    public const string KnownAnswer = "Acme Bikes answers every message within one business day.";

    private readonly IHost _ingestHost;
    private readonly Dictionary<string, string> _settings;

    private readonly TestStores _stores;

    private ChannelHarness(TestStores stores, IHost ingestHost, Dictionary<string, string> settings, GraphApiStub graph, string databaseConnectionString)
    {
        _stores = stores;
        _ingestHost = ingestHost;
        _settings = settings;
        Graph = graph;
        Db = new Db(databaseConnectionString);
        DatabaseConnectionString = databaseConnectionString;
    }

    public GraphApiStub Graph { get; }

    public Db Db { get; }

    public string DatabaseConnectionString { get; }

    public string PhoneNumberId { get; private set; } = null!;

    public Guid TenantId { get; private set; }

    public Guid ConnectionId { get; private set; }

    public HostProcess? Worker { get; private set; }

    /// <summary>The in-process host's services (ingest, the Outbox, work rows), acting for no tenant until a scope sets one.</summary>
    public IServiceProvider Services => _ingestHost.Services;

    /// <param name="database">A migrated database elsewhere (a server a test restarts); by default one of its own on the shared server.</param>
    public static async Task<ChannelHarness> CreateAsync(TestStores stores, string? redisConnectionString = null, Dictionary<string, string>? more = null, string? database = null)
    {
        database ??= await stores.CreateMigratedDatabaseAsync();
        var graph = await GraphApiStub.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:leadspeer"] = database,
            ["ConnectionStrings:redis"] = redisConnectionString ?? stores.Redis.ConnectionString,
            ["WhatsApp:AppSecret"] = MetaPayloads.AppSecret,
            ["WhatsApp:VerifyToken"] = MetaPayloads.VerifyToken,
            ["WhatsApp:GraphApiBaseUrl"] = graph.BaseUrl.ToString(),
            ["WhatsApp:SimulatorBaseUrl"] = graph.BaseUrl.ToString(),
            ["WhatsApp:GraphApiVersion"] = GraphApiStub.Version,
            ["TokenProtection:KeyId"] = "test",
            ["TokenProtection:Key"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("0123456789abcdef0123456789abcdef")),
            ["Channel:ReplyQuietTime"] = "00:00:00.500",
            // A flow test's customer gets twenty or more replies within a minute; past Meta's burst
            // per recipient each would wait 6 s. That pacing is PacingTests' subject (it sets its own).
            ["Channel:RecipientBurst"] = "100",
            ["Work:LeaseTime"] = "00:00:05",
            ["Work:SweepInterval"] = "00:00:00.250",
            ["Work:DispatchGrace"] = "00:00:01",
            ["Work:ClaimIdle"] = "00:00:02",
            // Every turn gets an answer (the tenant's one FAQ entry), so these tests see the
            // channel's mechanics — one reply per turn — rather than the agent's judgement.
            ["AI:AnswerThreshold"] = "-1",
        };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(settings!);
        builder.AddLeadsPeerCore(new StoreNames(ResourceNames.Database, ResourceNames.Redis, HealthTags.Ready));
        builder.Services.AddWhatsAppWebhooks();
        var host = builder.Build();
        // Started as a host runs in production: the webhook writer is a hosted service.
        await host.StartAsync();

        var harness = new ChannelHarness(stores, host, settings, graph, database);
        await harness.SeedTenantAsync();
        return harness;
    }

    /// <summary>Starts the Worker process and waits until it is healthy.</summary>
    public async Task StartWorkerAsync(int keepLines = 400)
    {
        Worker = StartHost("LeadsPeer.Worker", keepLines);
        await Worker.WaitForStatusAsync("/alive", System.Net.HttpStatusCode.OK, TimeSpan.FromSeconds(60));
    }

    /// <summary>Starts another host process (an Api, one more Worker) with this channel's settings; the caller owns it.</summary>
    public HostProcess StartHost(string project, int keepLines = 400) =>
        HostProcess.Start(project, "Development", _settings.ToDictionary(s => s.Key.Replace(":", "__"), s => s.Value), keepLines);

    /// <summary>Delivers a webhook as Meta would: signed, through the webhook path; asserts it was accepted.</summary>
    public async Task DeliverAsync(JsonObject payload)
    {
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        var outcome = await _ingestHost.Services.GetRequiredService<WebhookProcessor>()
            .ProcessAsync(body, MetaPayloads.Sign(body), CancellationToken.None);
        Assert.Equal(WebhookOutcome.Accepted, outcome);
    }

    public Task DeliverTextAsync(string text, string? wamid = null, long? timestamp = null) =>
        DeliverAsync(MetaPayloads.Text(PhoneNumberId, Customer, wamid ?? MetaPayloads.NewWamid(), text, timestamp));

    /// <summary>Queues an interactive message to the customer's conversation through the Outbox, as a flow or an operator would.</summary>
    public async Task<Guid> EnqueueInteractiveAsync(Core.Conversations.Interactive.InteractiveContent content, string? askedBy = null)
    {
        await using var scope = _ingestHost.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(TenantId);
        var db = scope.ServiceProvider.GetRequiredService<LeadsPeerDbContext>();
        var conversation = await db.Conversations.SingleAsync();
        var outcome = await scope.ServiceProvider.GetRequiredService<Core.Conversations.Outbox>().EnqueueInteractiveAsync(
            conversation, content, Core.Conversations.MessageAuthor.Operator, authorUserId: null, replyToTurn: null, askedBy, CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Error?.Title);
        return outcome.Value!.Id;
    }

    /// <summary>Queues a template to the customer's conversation through the Outbox, as an operator or the product would; the outcome as the Outbox gave it.</summary>
    public async Task<Outcome<Core.Conversations.Message?>> EnqueueTemplateAsync(TemplateMessage template, TemplateSender sender = TemplateSender.System, string? askedBy = null)
    {
        await using var scope = _ingestHost.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(TenantId);
        var conversation = await scope.ServiceProvider.GetRequiredService<LeadsPeerDbContext>().Conversations.AsNoTracking().SingleAsync();
        return await scope.ServiceProvider.GetRequiredService<Core.Conversations.Outbox>().EnqueueTemplateAsync(
            conversation, template, sender, sender == TemplateSender.System ? Core.Conversations.MessageAuthor.System : Core.Conversations.MessageAuthor.Operator,
            authorUserId: null, askedBy, CancellationToken.None);
    }

    /// <summary>A template of the number as a sync from Meta would have stored it, approved.</summary>
    public Task AddApprovedTemplateAsync(string name, string components, string category = "Utility") =>
        Db.ExecuteAsync("""
            INSERT INTO message_templates (id, tenant_id, connection_id, meta_id, name, language, category, status, parameter_format, components, created_at, updated_at)
            VALUES (gen_random_uuid(), $1, $2, '594425479261596', $3, 'en_US', $4, 'Approved', 'Positional', $5::jsonb, now(), now())
            """, TenantId, ConnectionId, name, category, components);

    /// <summary>Stores another access token for the number (properly encrypted): one Graph never issued for it.</summary>
    public async Task StoreTokenAsync(string token)
    {
        var protector = _ingestHost.Services.GetRequiredService<TokenProtector>();
        await Db.ExecuteAsync("UPDATE whats_app_connections SET encrypted_access_token = $1 WHERE id = $2",
            protector.Protect(token, SecretBinding.AccessToken(TenantId, ConnectionId)), ConnectionId);
    }

    /// <summary>
    /// Waits for a moment a stub signals (the Worker reached Graph), failing after
    /// <paramref name="seconds"/> with what the Worker printed. The first turn of a freshly started
    /// Worker loads its model and compiles its code while the module's other classes run: a minute,
    /// not the seconds it takes alone.
    /// </summary>
    public async Task WithinAsync(Task reached, string what, int seconds = 60)
    {
        try
        {
            await reached.WaitAsync(TimeSpan.FromSeconds(seconds), TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Not within {seconds} s: {what}{Environment.NewLine}{Worker?.Output}");
        }
    }

    /// <summary>Waits for <paramref name="condition"/>, failing after <paramref name="seconds"/> with what the Worker printed.</summary>
    public async Task EventuallyAsync(Func<Task<bool>> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Not within {seconds} s: {what}{Environment.NewLine}{Worker?.Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// The positive marker that nothing more will be sent: no work row is running or due within a
    /// minute (a flow step's end or a booking reminder waits far beyond any test). Every send
    /// happens inside a work row's run, and the row that sends is created in the same transaction
    /// as the one that asks for it, so once none is left the counts are final.
    /// </summary>
    public Task QuiescentAsync(int seconds = 30) =>
        EventuallyAsync(async () => await Db.CountAsync("work_items", Unfinished) == 0, "no work left pending or running", seconds);

    /// <summary>Work rows still to run within a test's time: running, or pending and due within a minute.</summary>
    public const string Unfinished = "state = 'Running' OR (state = 'Pending' AND due_at < now() + interval '1 minute')";

    private async Task SeedTenantAsync()
    {
        var protector = _ingestHost.Services.GetRequiredService<TokenProtector>();
        var organization = new Organization { Name = "Acme Bikes", CreatedAt = DateTimeOffset.UtcNow };
        await using var db = TestStores.CreateDbContext(DatabaseConnectionString, organization.Id);
        var connection = new WhatsAppConnection
        {
            TenantId = organization.Id,
            PhoneNumberId = "10654035" + Random.Shared.Next(1_000_000, 9_999_999),
            WabaId = "102290129340398",
            DisplayPhoneNumber = "+1 555 078 3881",
            Kind = WhatsAppConnectionKind.EmbeddedSignup,
            Status = WhatsAppConnectionStatus.Active,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        connection.EncryptedAccessToken = protector.Protect(BusinessToken, SecretBinding.AccessToken(organization.Id, connection.Id));
        // Graph honours the token for this number only: a send with anything else (a ciphertext, no token) is refused.
        Graph.AcceptToken(BusinessToken, connection.PhoneNumberId);
        connection.TokenKeyId = protector.ActiveKeyId;
        db.Organizations.Add(organization);
        db.WhatsAppConnections.Add(connection);
        var faq = new KnowledgeDocument
        {
            Kind = KnowledgeKind.Faq,
            FileName = "How fast do you answer?",
            ContentType = KnowledgeService.FaqContentType,
            Question = "How fast do you answer?",
            Answer = KnownAnswer,
            State = KnowledgeDocumentState.Uploaded,
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        };
        db.KnowledgeDocuments.Add(faq);
        await db.SaveChangesAsync();
        (PhoneNumberId, TenantId, ConnectionId) = (connection.PhoneNumberId, organization.Id, connection.Id);

        // Indexed before any customer writes (by the Worker's own indexing, in this process), so
        // the first turn already has its answer.
        await using var knowledge = await Knowledge.KnowledgeHarness.CreateAsync(_stores, database: DatabaseConnectionString);
        await knowledge.IndexAsync(organization.Id, faq.Id);
        (PhoneNumberId, TenantId, ConnectionId) = (connection.PhoneNumberId, organization.Id, connection.Id);
    }

    public async ValueTask DisposeAsync()
    {
        if (Worker is not null)
        {
            await Worker.DisposeAsync();
        }

        await _ingestHost.StopAsync();
        _ingestHost.Dispose();
        await Graph.DisposeAsync();
    }
}
