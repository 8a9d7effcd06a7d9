using System.Text;
using LeadsPeer.Core.Knowledge;
using LeadsPeer.Core.Security;
using LeadsPeer.Core.Tenancy;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsPeer.Knowledge.Benchmarks;

/// <summary>
/// Organisations with a connected number and an indexed FAQ the local provider answers from,
/// created before a benchmark's clock starts, and the settings the Api and Worker processes run with.
/// </summary>
public static class AnsweringNumbers
{
    /// <summary>--set Key=Value (any number of them): a host setting for the run (e.g. Work__TenantConcurrency=4), to measure what it changes.</summary>
    public static void ApplySetArguments(string[] args, Dictionary<string, string> settings)
    {
        foreach (var (key, value) in args.Zip(args.Skip(1)).Where(p => p.First == "--set").Select(p => p.Second.Split('=', 2)).Select(kv => (kv[0], kv[1])))
        {
            settings[key] = value;
        }
    }

    public static readonly string[] Questions = ["What is the warranty on a tent?", "Can you deliver my order on a Sunday?", "How should I store the sleeping bag?"];

    private static readonly (string Question, string Answer)[] Faqs =
    [
        ("How long is the warranty?", "Every product has a two-year warranty from the date of purchase."),
        ("Do you deliver on Sundays?", "We deliver Monday to Saturday; Sunday orders leave on Monday morning."),
        ("How do I store my sleeping bag?", "Store it loosely in the large cotton sack, never compressed for long."),
    ];

    public static async Task<Dictionary<string, string>> PrepareAsync(
        PostgresServer postgres, RedisServer redis, GraphApiStub graph, params (string Name, string PhoneNumberId, string Token)[] numbers)
    {
        await postgres.ExecuteAsync("CREATE DATABASE leadspeer");
        var database = postgres.ConnectionString("leadspeer");
        await TestStores.MigrateAsync(database);
        var key = Convert.ToBase64String(Encoding.UTF8.GetBytes("bench-key-0123456789abcdef012345"));
        using var services = WorkerServices.Create(database, redis.ConnectionString, new Dictionary<string, string?>
        {
            ["TokenProtection:KeyId"] = "bench",
            ["TokenProtection:Key"] = key,
        });
        foreach (var (name, phoneNumberId, token) in numbers)
        {
            await AddAsync(services, graph, name, phoneNumberId, token);
        }

        return new Dictionary<string, string>
        {
            ["ConnectionStrings__leadspeer"] = database,
            ["ConnectionStrings__redis"] = redis.ConnectionString,
            ["WhatsApp__AppSecret"] = MetaPayloads.AppSecret,
            ["Sandbox__SigningKey"] = MetaPayloads.SandboxSigningKey,
            ["WhatsApp__VerifyToken"] = MetaPayloads.VerifyToken,
            ["WhatsApp__GraphApiBaseUrl"] = graph.BaseUrl.ToString(),
            ["WhatsApp__GraphApiVersion"] = GraphApiStub.Version,
            ["TokenProtection__KeyId"] = "bench",
            ["TokenProtection__Key"] = key,
            ["Email__PickupDirectory"] = Path.Combine(Path.GetTempPath(), "leadspeer-bench-mail"),
            ["Logging__LogLevel__Default"] = "Warning",
        };
    }

    /// <summary>Posts one customer's text message as Meta does (signed); returns when the Api has answered 200.</summary>
    public static Task PostMessageAsync(HttpClient http, string phoneNumberId, string customer, string text) =>
        PostAsync(http, MetaPayloads.Text(phoneNumberId, customer, MetaPayloads.NewWamid(), text));

    /// <summary>Posts any webhook payload as Meta does (signed); returns when the Api has answered 200.</summary>
    public static async Task PostAsync(HttpClient http, System.Text.Json.Nodes.JsonObject payload)
    {
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Content.Headers.Add("X-Hub-Signature-256", MetaPayloads.Sign(body));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    private static async Task AddAsync(WorkerServices services, GraphApiStub graph, string name, string phoneNumberId, string token)
    {
        var tenant = await services.AddTenantAsync(name);
        var protector = services.Host.Services.GetRequiredService<TokenProtector>();
        await using var db = TestStores.CreateDbContext(services.Database, tenant);
        var connection = new WhatsAppConnection
        {
            TenantId = tenant,
            PhoneNumberId = phoneNumberId,
            WabaId = "1022" + phoneNumberId[4..],
            Kind = WhatsAppConnectionKind.EmbeddedSignup,
            Status = WhatsAppConnectionStatus.Active,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        connection.EncryptedAccessToken = protector.Protect(token, SecretBinding.AccessToken(tenant, connection.Id));
        connection.TokenKeyId = protector.ActiveKeyId;
        // Graph honours only the tokens it issued: this one, for this number.
        graph.AcceptToken(token, phoneNumberId);
        db.WhatsAppConnections.Add(connection);
        var ids = new List<Guid>();
        foreach (var (question, answer) in Faqs)
        {
            var faq = new KnowledgeDocument
            {
                TenantId = tenant, Kind = KnowledgeKind.Faq, FileName = question, ContentType = KnowledgeService.FaqContentType,
                Question = question, Answer = answer, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
            };
            db.KnowledgeDocuments.Add(faq);
            ids.Add(faq.Id);
        }

        await db.SaveChangesAsync();
        foreach (var id in ids)
        {
            await services.IndexAsync(tenant, id);
        }
    }
}
