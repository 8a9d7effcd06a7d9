using System.Diagnostics;
using LeadsPeer.Testing;

namespace LeadsPeer.Benchmarks;

/// <summary>What a load phase measured. Latencies in milliseconds.</summary>
public sealed record LoadResult(string Name, int Sent, int Succeeded, int Failed, double Seconds, double[] Latencies)
{
    public double Rate => Succeeded / Seconds;

    public double Percentile(double p) => Percentiles.Of(Latencies, p);

    public override string ToString() =>
        $"{Name,-44} {Rate,9:N0} req/s  p50 {Percentile(50),6:N1} ms  p99 {Percentile(99),6:N1} ms  max {Percentile(100),7:N1} ms  failed {Failed}";
}

/// <summary>
/// HTTP load from this process. Open loop (a fixed rate, latency measured from each request's
/// scheduled time, so a stalled server cannot hide its queue) and closed loop (a fixed number of
/// connections, as fast as the server answers: its saturation rate).
/// </summary>
public static class LoadGenerator
{
    public static HttpClient CreateClient(int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        UseCookies = false,
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    public static async Task<LoadResult> OpenLoopAsync(string name, HttpClient client, Func<HttpRequestMessage> next, int rate, TimeSpan duration)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var latencies = new double[total];
        var failed = 0;
        var tasks = new Task[total];
        var start = Stopwatch.GetTimestamp();
        var ticksPerRequest = Stopwatch.Frequency / (double)rate;
        var i = 0;
        while (i < total)
        {
            var now = Stopwatch.GetTimestamp();
            while (i < total && start + (long)(i * ticksPerRequest) <= now)
            {
                var index = i;
                var due = start + (long)(index * ticksPerRequest);
                tasks[index] = SendAsync(client, next(), due, ms => latencies[index] = ms, () => Interlocked.Increment(ref failed));
                i++;
            }

            await Task.Delay(1);
        }

        await Task.WhenAll(tasks);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return new LoadResult(name, total, total - failed, failed, Math.Max(seconds, duration.TotalSeconds), latencies);
    }

    public static async Task<LoadResult> ClosedLoopAsync(string name, HttpClient client, Func<HttpRequestMessage> next, int connections, TimeSpan duration)
    {
        var latencies = new List<double>[connections];
        var failed = 0;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async c =>
        {
            var mine = latencies[c] = [];
            while (Stopwatch.GetTimestamp() < end)
            {
                await SendAsync(client, next(), Stopwatch.GetTimestamp(), mine.Add, () => Interlocked.Increment(ref failed));
            }
        }));
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var all = latencies.SelectMany(l => l).ToArray();
        return new LoadResult(name, all.Length + failed, all.Length, failed, seconds, all);
    }

    private static async Task SendAsync(HttpClient client, HttpRequestMessage request, long due, Action<double> latency, Action failure)
    {
        try
        {
            using (request)
            using (var response = await client.SendAsync(request))
            {
                if (!response.IsSuccessStatusCode)
                {
                    failure();
                    return;
                }
            }

            latency(Stopwatch.GetElapsedTime(due).TotalMilliseconds);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            failure();
        }
    }
}
