using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using LeadsPeer.Testing;

namespace LeadsPeer.Knowledge.Benchmarks;

/// <summary>
/// A customer's message to the reply leaving for Meta, with the local provider: signed webhooks
/// posted to the Api process, the Worker process answering from an indexed FAQ (retrieval, the
/// extractive answerer, the outbox, the sender), a Graph stub receiving the send. Measured from
/// the webhook's 200 to the send's arrival at the stub. The turn's quiet time (2 s by default:
/// a deliberate wait for a customer's next message) is set to zero, so what is measured is the
/// work. One message at a time, each from a new customer (no per-recipient pacing).
/// </summary>
public static class ReplyBenchmark
{
    private const string PhoneNumberId = "106540352242923";
    private const string BusinessToken = "EAAG-bench-token";

    public static async Task<int> RunAsync(string[] args)
    {
        var messages = args.SkipWhile(a => a != "--messages").Skip(1).Select(int.Parse).FirstOrDefault(100);
        // After the one-at-a-time latencies, --at-once N customers (100) write together: replies a second.
        Console.WriteLine($"Reply latency benchmark — {Environment.ProcessorCount} cores, local provider, {messages} customer messages, quiet time 0");
        await using var postgres = await PostgresServer.StartNewAsync(durable: true);
        await using var redis = await RedisServer.StartNewAsync();
        await using var graph = await GraphApiStub.StartAsync();
        var settings = await AnsweringNumbers.PrepareAsync(postgres, redis, graph, ("Bench Outdoor", PhoneNumberId, BusinessToken));
        settings["Channel__ReplyQuietTime"] = "00:00:00";

        await using var api = HostProcess.Start("LeadsPeer.Api", "Production", settings);
        await using var worker = HostProcess.Start("LeadsPeer.Worker", "Production", settings);
        await api.WaitForStatusAsync("/health", HttpStatusCode.OK, TimeSpan.FromSeconds(90));
        await worker.WaitForStatusAsync("/health", HttpStatusCode.OK, TimeSpan.FromSeconds(90));
        using var http = new HttpClient { BaseAddress = api.Address };
        var questions = AnsweringNumbers.Questions;

        var latencies = new List<double>();
        for (var i = 0; i < messages + 5; i++)
        {
            var customer = "1555" + (2_000_000 + i).ToString(CultureInfo.InvariantCulture);
            var sentBefore = graph.Sent.Count;
            var body = Encoding.UTF8.GetBytes(MetaPayloads.Text(PhoneNumberId, customer, MetaPayloads.NewWamid(), questions[i % questions.Length]).ToJsonString());
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Content.Headers.Add("X-Hub-Signature-256", MetaPayloads.Sign(body));
            using var response = await http.SendAsync(request);
            var accepted = DateTimeOffset.UtcNow;
            response.EnsureSuccessStatusCode();
            var clock = Stopwatch.StartNew();
            while (graph.Sent.Count == sentBefore)
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(30))
                {
                    Console.Error.WriteLine($"No reply within 30 s.{Environment.NewLine}{worker.Output}");
                    return 1;
                }

                await Task.Delay(1);
            }

            if (i >= 5)
            {
                latencies.Add((graph.SentTimes.Last() - accepted).TotalMilliseconds); // the first five warm the processes up
            }
        }

        var answered = graph.Sent.Count(s => s["text"]?["body"]?.GetValue<string>() is { } text && !text.StartsWith("Thanks for your patience", StringComparison.Ordinal));
        var oneByOne = graph.Sent.Count;

        // Then as many other customers write at once: how many replies a second the Worker gives.
        var burst = args.SkipWhile(a => a != "--at-once").Skip(1).Select(int.Parse).FirstOrDefault(100);
        var before = graph.Sent.Count;
        var burstClock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, burst).Select(async i =>
        {
            var customer = "1555" + (3_000_000 + i).ToString(CultureInfo.InvariantCulture);
            var body = Encoding.UTF8.GetBytes(MetaPayloads.Text(PhoneNumberId, customer, MetaPayloads.NewWamid(), questions[i % questions.Length]).ToJsonString());
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Content.Headers.Add("X-Hub-Signature-256", MetaPayloads.Sign(body));
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }));
        while (graph.Sent.Count < before + burst && burstClock.Elapsed < TimeSpan.FromSeconds(120))
        {
            await Task.Delay(5);
        }

        var burstTime = burstClock.Elapsed;
        Console.WriteLine();
        Console.WriteLine($"{burst} customers writing at once: {graph.Sent.Count - before} replies in {burstTime.TotalSeconds:0.00} s = {(graph.Sent.Count - before) / burstTime.TotalSeconds:0} replies/s");
        Console.WriteLine($"Message → reply sent: p50 {Percentiles.Of(latencies, 50):0} ms, p95 {Percentiles.Of(latencies, 95):0} ms, max {latencies.Max():0} ms (goal p95 < 500 ms)");
        Console.WriteLine($"Replies that answered from the FAQ (not a handoff): {answered}/{oneByOne}");
        return Percentiles.Of(latencies, 95) < 500 ? 0 : 1;
    }
}
