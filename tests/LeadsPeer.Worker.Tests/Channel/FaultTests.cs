using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using LeadsPeer.Testing;

namespace LeadsPeer.Worker.Tests.Channel;

/// <summary>
/// Several replicas through the faults a deployment meets: two Api and two Worker processes on
/// one PostgreSQL and Redis (their own, so this test can break them), 500 customers writing while
/// one Worker is killed with SIGKILL, Redis is stopped with SIGSTOP for 10 s and PostgreSQL is
/// restarted. Meta's side retries every webhook until it is answered 200, as Meta does. After it:
/// every message is stored once, each turn got at most one reply at Graph and is either answered
/// or shown to operators as in doubt, and no work is left unfinished. Prints its figures.
/// </summary>
[Collection(nameof(FaultTests))]
public sealed class FaultTests(TestStores stores)
{
    private const int Customers = 500;
    private static readonly TimeSpan SendingFor = TimeSpan.FromSeconds(25);
    private static readonly TimeSpan KillWorkerAt = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan FreezeRedisAt = TimeSpan.FromSeconds(7);
    private static readonly TimeSpan FreezeRedisFor = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RestartPostgresAt = TimeSpan.FromSeconds(20);

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Through_a_killed_Worker_a_hung_Redis_and_a_PostgreSQL_restart_every_message_is_stored_once_and_every_turn_answered_at_most_once()
    {
        await using var postgres = await PostgresServer.StartNewAsync();
        await using var redis = await RedisServer.StartNewAsync();
        await postgres.ExecuteAsync("CREATE DATABASE faults");
        var database = postgres.ConnectionString("faults");
        await TestStores.MigrateAsync(database);
        await using var channel = await ChannelHarness.CreateAsync(stores, redis.ConnectionString, database: database, more: new()
        {
            ["Work:LeaseTime"] = "00:00:03",
            ["Work:Concurrency"] = "8",
        });

        var hosts = new List<HostProcess>();
        try
        {
            var apis = new[] { channel.StartHost("LeadsPeer.Api"), channel.StartHost("LeadsPeer.Api") };
            var workers = new[] { channel.StartHost("LeadsPeer.Worker"), channel.StartHost("LeadsPeer.Worker") };
            hosts.AddRange([.. apis, .. workers]);
            foreach (var host in hosts)
            {
                await host.WaitForStatusAsync("/health", HttpStatusCode.OK, TimeSpan.FromSeconds(90));
            }

            var answers = new ConcurrentQueue<Answer>();
            var clock = Stopwatch.StartNew();
            var faults = RunFaultsAsync(clock, workers[0], redis, postgres);
            using var meta = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var customers = Enumerable.Range(0, Customers).Select(async i =>
            {
                await Task.Delay(SendingFor * i / Customers, Ct);
                var from = "1650600" + i.ToString("D4", CultureInfo.InvariantCulture);
                var body = Encoding.UTF8.GetBytes(MetaPayloads.Text(channel.PhoneNumberId, from, MetaPayloads.NewWamid(), $"Hello, this is customer {i}").ToJsonString());
                return await DeliverAsMetaAsync(meta, [.. apis.Select(a => a.Address)], i, body, clock, answers);
            }).ToList();
            var attempts = await Task.WhenAll(customers);
            var (frozenFrom, frozenTo) = await faults;
            var allAnsweredAt = clock.Elapsed;

            // The positive marker that nothing more will be sent: every customer's turn has its
            // reply recorded (sent or in doubt) and no work row is pending or running.
            await Eventually.TrueAsync(async () =>
                    await channel.Db.CountAsync("messages", "direction = 'Outbound' AND status IN ('Sent', 'Delivered', 'Read', 'InDoubt', 'Failed')") >= Customers
                    && await channel.Db.CountAsync("work_items", ChannelHarness.Unfinished) == 0,
                "every turn answered and no work left", TimeSpan.FromSeconds(120));
            var drainedAt = clock.Elapsed;

            var sentPerCustomer = channel.Graph.Sent.GroupBy(s => s["to"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
            var inbound = await channel.Db.CountAsync("messages", "direction = 'Inbound'");
            var distinctInbound = await channel.Db.ScalarAsync<long>("SELECT count(DISTINCT wa_message_id) FROM messages WHERE direction = 'Inbound'");
            var replies = (await channel.Db.RowsAsync("SELECT status, count(*) FROM messages WHERE direction = 'Outbound' GROUP BY status"))
                .ToDictionary(r => (string)r[0]!, r => (long)r[1]!);
            var repliesPerConversation = await channel.Db.ScalarAsync<long>(
                "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM messages WHERE direction = 'Outbound' GROUP BY conversation_id) c");
            var failedWork = await channel.Db.CountAsync("work_items", "state = 'Failed'");
            var okLatencies = answers.Where(a => a.Status == 200).Select(a => a.Elapsed.TotalMilliseconds).ToList();
            var duringFreeze = answers.Where(a => a.Status == 200 && a.SentAt >= frozenFrom && a.SentAt < frozenTo).ToList();

            var figures = new StringBuilder()
                .AppendLine(CultureInfo.InvariantCulture, $"[faults] 2 Api + 2 Worker, {Customers} customers over {SendingFor.TotalSeconds:0} s; Worker killed at {KillWorkerAt.TotalSeconds:0} s, Redis stopped {frozenFrom.TotalSeconds:0.0}–{frozenTo.TotalSeconds:0.0} s, PostgreSQL restarted at {RestartPostgresAt.TotalSeconds:0} s")
                .AppendLine(CultureInfo.InvariantCulture, $"[faults] webhooks: {Customers} answered 200 after {attempts.Sum()} deliveries ({attempts.Count(a => a == 1)} at the first); other answers: {Describe(answers.Where(a => a.Status != 200))}")
                .AppendLine(CultureInfo.InvariantCulture, $"[faults] 200 latency p50 {Percentiles.Of(okLatencies, 50):0} ms, p99 {Percentiles.Of(okLatencies, 99):0} ms, max {okLatencies.Max():0} ms; while Redis was stopped: {duringFreeze.Count} answered 200, slowest {(duringFreeze.Count == 0 ? 0 : duringFreeze.Max(a => a.Elapsed.TotalMilliseconds)):0} ms")
                .AppendLine(CultureInfo.InvariantCulture, $"[faults] stored: {inbound} messages ({distinctInbound} distinct); replies: {string.Join(", ", replies.Select(r => $"{r.Key} {r.Value}"))}; at Graph: {channel.Graph.Sent.Count} sent to {sentPerCustomer.Count} customers, at most {(sentPerCustomer.Count == 0 ? 0 : sentPerCustomer.Values.Max())} per customer")
                .AppendLine(CultureInfo.InvariantCulture, $"[faults] all webhooks answered at {allAnsweredAt.TotalSeconds:0.0} s, every turn answered and no work left at {drainedAt.TotalSeconds:0.0} s; work given up: {failedWork}")
                .ToString();
            Report(figures);

            Assert.Equal(Customers, attempts.Length);
            Assert.Equal(Customers, inbound);
            Assert.Equal(Customers, distinctInbound);
            Assert.All(sentPerCustomer.Values, count => Assert.Equal(1, count));
            Assert.Equal(1, repliesPerConversation);
            Assert.Equal(Customers, replies.Where(r => r.Key is "Sent" or "Delivered" or "Read" or "InDoubt").Sum(r => r.Value));
            Assert.Equal(0, failedWork);
            Assert.NotEmpty(duringFreeze);
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    private async Task<(TimeSpan FrozenFrom, TimeSpan FrozenTo)> RunFaultsAsync(Stopwatch clock, HostProcess worker, RedisServer redis, PostgresServer postgres)
    {
        await Task.Delay(KillWorkerAt - clock.Elapsed, Ct);
        worker.Kill();

        await Task.Delay(FreezeRedisAt - clock.Elapsed, Ct);
        var frozenFrom = clock.Elapsed;
        redis.Freeze();
        try
        {
            await Task.Delay(FreezeRedisFor, Ct);
        }
        finally
        {
            redis.Thaw();
        }

        var frozenTo = clock.Elapsed;
        await Task.Delay(RestartPostgresAt - clock.Elapsed, Ct);
        await postgres.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(1), Ct); // down for a moment, as in a failover
        await postgres.StartAsync();
        return (frozenFrom, frozenTo);
    }

    /// <summary>
    /// Meta's delivery: the signed webhook is posted until it is answered 200, with growing pauses
    /// (Meta's own are longer), alternating replicas as a load balancer would. Returns the attempts.
    /// </summary>
    private async Task<int> DeliverAsMetaAsync(HttpClient meta, Uri[] apis, int customer, byte[] body, Stopwatch clock, ConcurrentQueue<Answer> answers)
    {
        var pause = TimeSpan.FromMilliseconds(500);
        for (var attempt = 1; ; attempt++)
        {
            var sentAt = clock.Elapsed;
            var status = 0;
            try
            {
                using var response = await meta.PostAsync(new Uri(apis[(customer + attempt) % apis.Length], "/webhooks/whatsapp"), MetaPayloads.Signed(body), Ct);
                status = (int)response.StatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !Ct.IsCancellationRequested)
            {
                // No answer (refused, reset, timed out): Meta delivers it again.
            }

            answers.Enqueue(new Answer(sentAt, clock.Elapsed - sentAt, status));
            if (status == 200)
            {
                return attempt;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), $"customer {customer}'s webhook was not answered 200 in 3 minutes (last {status})");
            await Task.Delay(pause, Ct);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(4).Ticks));
        }
    }

    private static string Describe(IEnumerable<Answer> others)
    {
        var groups = others.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{(g.Key == 0 ? "no answer" : g.Key.ToString(CultureInfo.InvariantCulture))} × {g.Count()}").ToList();
        return groups.Count == 0 ? "none" : string.Join(", ", groups);
    }

    /// <summary>The figures go to the test's output and to a file the test script prints at the end of a run.</summary>
    private static void Report(string figures)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(figures);
        var folder = Path.Combine(RepositoryRoot.Path, "TestResults");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "faults.txt"), figures);
    }

    private sealed record Answer(TimeSpan SentAt, TimeSpan Elapsed, int Status);
}

/// <summary>Four host processes on 2 cores: the fault test runs alone, so its timings and its neighbours' are their own.</summary>
[CollectionDefinition(nameof(FaultTests), DisableParallelization = true)]
public sealed class FaultTestsCollection;
