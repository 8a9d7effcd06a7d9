// Webhook ingest benchmark: ./scripts/bench-webhooks.sh (see the README).
//
// Signed single-message webhooks against the Api alone (no Worker: only ingest is measured), with
// PostgreSQL (durable settings) and Redis on this machine. Prints: the Api at a fixed 1,000 req/s,
// its saturation rate, a bare Kestrel endpoint that only reads the body (the HTTP ceiling), and
// pgbench running the webhook's own statements at the same concurrency (the durable-write limit).
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using LeadsPeer.Benchmarks;
using LeadsPeer.Core.Security;
using LeadsPeer.Core.Tenancy;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Core.WhatsApp.Webhooks;
using LeadsPeer.Testing;

var rate = Arg("--rate", 1000);
var seconds = Arg("--seconds", 20);
var connections = Arg("--connections", 32);
const int Customers = 10_000;
const string PhoneNumberId = "106540352242922";

Console.WriteLine($"Webhook ingest benchmark — {Environment.ProcessorCount} cores, {rate} req/s for {seconds} s, {connections} connections for saturation");

await using var postgres = await PostgresServer.StartNewAsync(durable: true);
await using var redis = await RedisServer.StartNewAsync();
await postgres.ExecuteAsync("CREATE DATABASE leadspeer");
var database = postgres.ConnectionString("leadspeer");
await TestStores.MigrateAsync(database);
await SeedAsync(database);

var key = Convert.ToBase64String(Encoding.UTF8.GetBytes("bench-key-0123456789abcdef012345"));
await using var api = HostProcess.Start("LeadsPeer.Api", "Production", new Dictionary<string, string>
{
    ["ConnectionStrings__leadspeer"] = database,
    ["ConnectionStrings__redis"] = redis.ConnectionString,
    ["WhatsApp__AppSecret"] = MetaPayloads.AppSecret,
    ["Sandbox__SigningKey"] = MetaPayloads.SandboxSigningKey,
    ["WhatsApp__VerifyToken"] = MetaPayloads.VerifyToken,
    ["TokenProtection__KeyId"] = "bench",
    ["TokenProtection__Key"] = key,
    ["Email__PickupDirectory"] = Path.Combine(Path.GetTempPath(), "leadspeer-bench-mail"),
    ["Logging__LogLevel__Default"] = "Warning",
});
await api.WaitForStatusAsync("/health", HttpStatusCode.OK, TimeSpan.FromSeconds(90));
var webhook = new Uri(api.Address, "/webhooks/whatsapp");

var sequence = 0;
HttpRequestMessage NextWebhook(Uri url)
{
    var n = Interlocked.Increment(ref sequence);
    var customer = "1555" + Random.Shared.Next(1, Customers + 1).ToString("D7", CultureInfo.InvariantCulture);
    var body = Encoding.UTF8.GetBytes(
        $$$"""{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"{{{PhoneNumberId}}}"},"contacts":[{"profile":{"name":"Bench customer"},"wa_id":"{{{customer}}}"}],"messages":[{"from":"{{{customer}}}","id":"wamid.bench.{{{n}}}","timestamp":"{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}}","type":"text","text":{"body":"Do you deliver on Sundays?"}}]}}]}]}""");
    var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
    request.Content.Headers.ContentType = new("application/json");
    request.Content.Headers.Add("X-Hub-Signature-256", MetaPayloads.Sign(body));
    return request;
}

using var client = LoadGenerator.CreateClient(connections);
var results = new List<LoadResult>();

// Warm-up at the measured rate: JIT tiers, connection pools, PostgreSQL caches reach their steady state.
await LoadGenerator.OpenLoopAsync("warm-up", client, () => NextWebhook(webhook), rate, TimeSpan.FromSeconds(Math.Min(10, seconds)));
results.Add(await LoadGenerator.OpenLoopAsync($"Api webhooks, fixed {rate} req/s", client, () => NextWebhook(webhook), rate, TimeSpan.FromSeconds(seconds)));
results.Add(await LoadGenerator.ClosedLoopAsync($"Api webhooks, saturated ({connections} conn.)", client, () => NextWebhook(webhook), connections, TimeSpan.FromSeconds(seconds)));
var sent = sequence;

// Nothing lost, nothing doubled: every accepted webhook is one stored message.
var db = new Db(database);
var stored = await db.CountAsync("messages", "wa_message_id LIKE 'wamid.bench.%'");
var distinct = await db.ScalarAsync<long>("SELECT count(DISTINCT wa_message_id) FROM messages WHERE wa_message_id LIKE 'wamid.bench.%'");
var accepted = sent - results.Sum(r => r.Failed);
await api.DisposeAsync();

// The HTTP ceiling: Kestrel reading the same bodies and doing nothing else.
await using (var bare = await BareKestrel.StartAsync())
{
    await LoadGenerator.ClosedLoopAsync("warm-up", client, () => NextWebhook(bare.Url), connections, TimeSpan.FromSeconds(3));
    results.Add(await LoadGenerator.ClosedLoopAsync($"Bare Kestrel, read body ({connections} conn.)", client, () => NextWebhook(bare.Url), connections, TimeSpan.FromSeconds(seconds)));
}

// The durable-write limit: the webhook's own transaction in pgbench, at the same concurrency.
var pgbenchTps = RunPgbench(postgres.Port, connections, seconds);

Console.WriteLine();
foreach (var result in results)
{
    Console.WriteLine(result);
}

Console.WriteLine($"{"pgbench, the webhook's transaction (" + connections + " conn.)",-44} {pgbenchTps,9:N0} tx/s");
Console.WriteLine();
var saturation = results[1].Rate;
Console.WriteLine($"Saturation / pgbench: {saturation / pgbenchTps:P0} (goal ≥ 50%)");
Console.WriteLine($"At {rate} req/s: achieved {results[0].Rate:N0} req/s, p99 {results[0].Percentile(99):N1} ms (goal < 50 ms)");
Console.WriteLine($"Webhooks sent {sent}, accepted {accepted}, messages stored {stored}, distinct {distinct}, duplicates {stored - distinct}");
return stored == accepted && stored == distinct ? 0 : 1;

int Arg(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

async Task SeedAsync(string connectionString)
{
    var organization = new Organization { Name = "Bench Bikes", CreatedAt = DateTimeOffset.UtcNow };
    await using var context = TestStores.CreateDbContext(connectionString, organization.Id);
    context.Organizations.Add(organization);
    context.WhatsAppConnections.Add(new WhatsAppConnection
    {
        TenantId = organization.Id,
        PhoneNumberId = PhoneNumberId,
        WabaId = "102290129340398",
        Kind = WhatsAppConnectionKind.EmbeddedSignup,
        Status = WhatsAppConnectionStatus.Active,
        CreatedAt = DateTimeOffset.UtcNow,
    });
    await context.SaveChangesAsync();
}

double RunPgbench(int port, int clients, int duration)
{
    // The statements the Api sends for one text message, in one pipeline (one round trip, one
    // implicit transaction, as Npgsql's batch), prepared (as Npgsql's auto-prepare does), with each
    // parameter given the same kind of value.
    var values = new Dictionary<string, string>
    {
        ["pn"] = $"'{PhoneNumberId}'",
        ["now"] = "now()",
        ["sent_at"] = "now()",
        ["due_at"] = "(now() + interval '2 seconds')",
        ["contact_id"] = "gen_random_uuid()",
        ["conversation_id"] = "gen_random_uuid()",
        ["work_id"] = "gen_random_uuid()",
        ["message_id"] = "(lpad(to_hex(:m1::bigint), 16, '0') || lpad(to_hex(:m2::bigint), 16, '0'))::uuid",
        ["customer_key"] = "('1555' || lpad(:c::text, 7, '0'))",
        ["wa_id"] = "('1555' || lpad(:c::text, 7, '0'))",
        ["user_id"] = "NULL::text",
        ["profile_name"] = "'Bench customer'",
        ["wamid"] = "('wamid.pgbench.' || :m1::bigint || '.' || :m2::bigint)",
        ["type"] = "'text'",
        ["text"] = "'Do you deliver on Sundays?'",
        ["arm_reply"] = "true",
        ["sandbox_window"] = "interval '24 hours'",
        ["erased_message"] = "ARRAY[sha256(('wamid.pgbench.' || :m1::bigint)::bytea)]",
        ["erased_customer"] = "ARRAY[sha256(:c::text::bytea)]",
        ["payload"] = "'{\"from\":\"15550000001\",\"type\":\"text\",\"text\":{\"body\":\"Do you deliver on Sundays?\"}}'",
    };
    var statements = new[]
    {
        IngestSql.FindConnection, IngestSql.TouchConnection, IngestSql.StoreMessage,
    };
    var script = new StringBuilder()
        .AppendLine("\\set m1 random(1, 4611686018427387903)")
        .AppendLine("\\set m2 random(1, 4611686018427387903)")
        .AppendLine($"\\set c random(1, {Customers})")
        .AppendLine("\\startpipeline");
    foreach (var statement in statements)
    {
        // One line per command for pgbench, so SQL comments (to the end of a line) go first.
        var sql = Regex.Replace(Regex.Replace(statement, "--[^\n]*", ""), @"(?<![:@\w])@(\w+)", m => values[m.Groups[1].Value]);
        script.AppendLine(string.Join(" ", sql.Split('\n', StringSplitOptions.TrimEntries)) + ";");
    }

    script.AppendLine("\\endpipeline");
    var file = Path.Combine(Path.GetTempPath(), "leadspeer-ingest.pgbench.sql");
    File.WriteAllText(file, script.ToString());

    var info = new ProcessStartInfo("/usr/lib/postgresql/15/bin/pgbench",
        ["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-n", "-M", "prepared",
         "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", "2", "-T", duration.ToString(CultureInfo.InvariantCulture), "-f", file, "leadspeer"])
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    };
    using var pgbench = Process.Start(info)!;
    var output = pgbench.StandardOutput.ReadToEnd() + pgbench.StandardError.ReadToEnd();
    pgbench.WaitForExit();
    var tps = Regex.Match(output, @"tps = ([0-9.]+) \(without initial connection time\)");
    if (!tps.Success)
    {
        throw new InvalidOperationException($"pgbench failed:{Environment.NewLine}{output}");
    }

    return double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture);
}
