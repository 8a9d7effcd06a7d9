using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using LeadsPeer.Testing;

namespace LeadsPeer.Knowledge.Benchmarks;

/// <summary>
/// Per-tenant fairness in the Worker: one business's 500 customers write at once while another
/// business's customers write one at a time. Measured for the quiet business: from the webhook's
/// 200 to its reply reaching the Graph stub, less the turn's quiet time (the deliberate wait for
/// a customer's next message), so the figure is the delay the burst causes. Both numbers are
/// served by the same Api and Worker processes with their default settings.
/// </summary>
public static class FairnessBenchmark
{
    private const string BusyNumber = "106540352240001";
    private const string QuietNumber = "106540352240002";
    private const string QuietPrefix = "1666";

    public static async Task<int> RunAsync(string[] args)
    {
        var burst = args.SkipWhile(a => a != "--burst").Skip(1).Select(int.Parse).FirstOrDefault(500);
        var quietMessages = args.SkipWhile(a => a != "--messages").Skip(1).Select(int.Parse).FirstOrDefault(20);
        var quietTime = TimeSpan.FromSeconds(2);
        Console.WriteLine($"Fairness benchmark — {Environment.ProcessorCount} cores, local provider, a burst of {burst} customers at one business, "
            + $"{quietMessages} messages one at a time at another, quiet time {quietTime.TotalSeconds:0} s");
        await using var postgres = await PostgresServer.StartNewAsync(durable: true);
        await using var redis = await RedisServer.StartNewAsync();
        await using var graph = await GraphApiStub.StartAsync();
        var settings = await AnsweringNumbers.PrepareAsync(postgres, redis, graph,
            ("Busy Outdoor", BusyNumber, "EAAG-busy-token"), ("Quiet Outdoor", QuietNumber, "EAAG-quiet-token"));
        settings["Channel__ReplyQuietTime"] = quietTime.ToString("c", CultureInfo.InvariantCulture);

        var replied = new ConcurrentDictionary<string, DateTimeOffset>();
        graph.BeforeSendAnswer = (body, _, _) =>
        {
            replied.TryAdd(body["to"]!.GetValue<string>(), DateTimeOffset.UtcNow);
            return Task.CompletedTask;
        };

        await using var api = HostProcess.Start("LeadsPeer.Api", "Production", settings);
        await using var worker = HostProcess.Start("LeadsPeer.Worker", "Production", settings);
        await api.WaitForStatusAsync("/health", HttpStatusCode.OK, TimeSpan.FromSeconds(90));
        await worker.WaitForStatusAsync("/health", HttpStatusCode.OK, TimeSpan.FromSeconds(90));
        using var http = new HttpClient { BaseAddress = api.Address };

        // Warm both processes up on the quiet business before the clock starts.
        for (var i = 0; i < 3; i++)
        {
            var customer = QuietPrefix + (9_000_000 + i).ToString(CultureInfo.InvariantCulture);
            await AnsweringNumbers.PostMessageAsync(http, QuietNumber, customer, AnsweringNumbers.Questions[i % 3]);
            await WaitForAsync(() => replied.ContainsKey(customer), TimeSpan.FromSeconds(30), worker);
        }

        // The burst: every customer's message posted as fast as the Api takes them.
        var clock = Stopwatch.StartNew();
        var burstPosted = Parallel.ForAsync(0, burst, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            await AnsweringNumbers.PostMessageAsync(http, BusyNumber, "1555" + (3_000_000 + i).ToString(CultureInfo.InvariantCulture), AnsweringNumbers.Questions[i % 3]));

        // Meanwhile the quiet business's customers, one every 250 ms, each timed on its own.
        var delays = new List<double>();
        var quietPosts = new List<Task>();
        for (var i = 0; i < quietMessages; i++)
        {
            var customer = QuietPrefix + (2_000_000 + i).ToString(CultureInfo.InvariantCulture);
            quietPosts.Add(TimeAsync(customer, AnsweringNumbers.Questions[i % 3]));
            await Task.Delay(250);
        }

        await burstPosted;
        var burstPostedIn = clock.Elapsed;
        await Task.WhenAll(quietPosts);
        await WaitForAsync(() => replied.Keys.Count(k => k.StartsWith("1555", StringComparison.Ordinal)) >= burst, TimeSpan.FromMinutes(5), worker);
        var burstAnsweredIn = clock.Elapsed;

        Console.WriteLine();
        Console.WriteLine($"Burst posted in {burstPostedIn.TotalSeconds:0.0} s; all {burst} answered after {burstAnsweredIn.TotalSeconds:0.0} s ({burst / burstAnsweredIn.TotalSeconds:0} replies/s)");
        Console.WriteLine($"Quiet business, delay beyond its quiet time during the burst: p50 {Percentiles.Of(delays, 50):0} ms, "
            + $"p95 {Percentiles.Of(delays, 95):0} ms, max {delays.Max():0} ms (goal p95 < 2000 ms)");
        return Percentiles.Of(delays, 95) < 2000 ? 0 : 1;

        async Task TimeAsync(string customer, string question)
        {
            await AnsweringNumbers.PostMessageAsync(http, QuietNumber, customer, question);
            var accepted = DateTimeOffset.UtcNow;
            await WaitForAsync(() => replied.ContainsKey(customer), TimeSpan.FromMinutes(2), worker);
            lock (delays)
            {
                delays.Add((replied[customer] - accepted - quietTime).TotalMilliseconds);
            }
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan limit, HostProcess worker)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"No reply within {limit.TotalSeconds:0} s.{Environment.NewLine}{worker.Output}");
            }

            await Task.Delay(5);
        }
    }
}
