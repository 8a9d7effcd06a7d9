using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using LeadsPeer.Testing;
using static LeadsPeer.Knowledge.Benchmarks.OrderingBenchmark;

namespace LeadsPeer.Knowledge.Benchmarks;

/// <summary>
/// The same-slot race through the Api and Worker processes: every customer opens the booking flow
/// on WhatsApp and picks the same day and the same first free time, until all of them look at the
/// summary; then all tap Confirm at once. Exactly one booking is made; everyone else is told the
/// time was taken and shown the free times. Measured per customer: from the webhook's 200 for the
/// tap to the answer reaching the Graph stub.
/// </summary>
public static class BookingBenchmark
{
    private const string Number = "106540352240031";

    public static async Task<int> RunAsync(string[] args)
    {
        var customers = args.SkipWhile(a => a != "--customers").Skip(1).Select(int.Parse).FirstOrDefault(50);
        // As in the ordering race: --full-jit compiles the hosts' code fully on first use (a Worker that has run a while).
        var fullJit = args.Contains("--full-jit");
        // Meta's default throughput per number is 80 messages/s (50 answers take 0.6 s of it); higher tiers get up to 1,000.
        var perSecond = args.SkipWhile(a => a != "--number-mps").Skip(1).Select(int.Parse).FirstOrDefault(80);
        Console.WriteLine($"Booking race — {Environment.ProcessorCount} cores, local provider, {customers} customers confirm the same time at once, the number sends {perSecond} messages/s"
            + (fullJit ? ", code compiled fully on first use" : ""));
        await using var postgres = await PostgresServer.StartNewAsync(durable: true);
        await using var redis = await RedisServer.StartNewAsync();
        await using var graph = await GraphApiStub.StartAsync();
        var settings = await AnsweringNumbers.PrepareAsync(postgres, redis, graph, ("Garden Town Bakery", Number, "EAAG-bakery-token"));
        settings["Channel__ReplyQuietTime"] = "00:00:00.300";
        settings["Channel__MessagesPerSecondPerNumber"] = perSecond.ToString(CultureInfo.InvariantCulture);
        if (fullJit)
        {
            settings["DOTNET_TieredCompilation"] = "0";
        }

        var db = new Db(settings["ConnectionStrings__leadspeer"]);
        // Open round the clock (the race runs at any hour); one cake tasting with one person.
        await db.ExecuteAsync("""
            INSERT INTO booking_settings (tenant_id, time_zone, weekly_hours, special_days, reference_prefix, next_booking_number, cancellation_notice_minutes, late_cancellation)
            SELECT id, 'Asia/Karachi', (SELECT jsonb_object_agg(d, '[{"from": "00:00", "to": "24:00"}]'::jsonb)
                FROM unnest(array['monday','tuesday','wednesday','thursday','friday','saturday','sunday']) d), '[]', 'GTB', 101, 0, 'Allowed' FROM organizations
            """);
        await db.ExecuteAsync("""
            WITH staff AS (
                INSERT INTO booking_staff (id, tenant_id, name, days_off, active, created_at, updated_at)
                SELECT gen_random_uuid(), id, 'Sara', '{}', true, now(), now() FROM organizations RETURNING id, tenant_id)
            INSERT INTO booking_services (id, tenant_id, name, duration_minutes, interval_minutes, buffer_after_minutes, horizon_days, minimum_notice_minutes,
                                          capacity, staff_ids, active, created_at, updated_at)
            SELECT gen_random_uuid(), tenant_id, 'Cake tasting', 60, 60, 0, 7, 60, 1, ARRAY[id], true, now(), now() FROM staff
            """);

        var replies = new ConcurrentDictionary<string, Channel<(JsonObject Body, string Wamid, DateTimeOffset At)>>();
        Channel<(JsonObject, string, DateTimeOffset)> RepliesTo(string customer) => replies.GetOrAdd(customer, _ => Channel.CreateUnbounded<(JsonObject, string, DateTimeOffset)>());
        graph.BeforeSendAnswer = (body, wamid, _) => RepliesTo(body["to"]!.GetValue<string>()).Writer.WriteAsync((body, wamid, DateTimeOffset.UtcNow)).AsTask();

        await using var api = HostProcess.Start("LeadsPeer.Api", "Production", settings);
        await using var worker = HostProcess.Start("LeadsPeer.Worker", "Production", settings);
        await api.WaitForStatusAsync("/health", HttpStatusCode.OK, TimeSpan.FromSeconds(90));
        await worker.WaitForStatusAsync("/health", HttpStatusCode.OK, TimeSpan.FromSeconds(90));
        using var http = new HttpClient { BaseAddress = api.Address };

        // Every customer to the summary of the same time, a few at a time (not timed).
        var summaries = new ConcurrentDictionary<string, (JsonObject Body, string Wamid)>();
        var picked = new ConcurrentBag<string>();
        var setup = Stopwatch.StartNew();
        await Parallel.ForAsync(0, customers, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var customer = "1555" + (5_000_000 + i).ToString(CultureInfo.InvariantCulture);
            await AnsweringNumbers.PostMessageAsync(http, Number, customer, "Hi, I'd like to book an appointment");
            var days = await NextAsync(RepliesTo(customer), worker);
            var day = FirstRow(days.Body, "d:");
            await AnsweringNumbers.PostAsync(http, Tap(customer, days.Wamid, day, day, list: true, number: Number));
            var times = await NextAsync(RepliesTo(customer), worker);
            var time = FirstRow(times.Body, "t:");
            picked.Add(time);
            await AnsweringNumbers.PostAsync(http, Tap(customer, times.Wamid, time, time, list: true, number: Number));
            var summary = await NextAsync(RepliesTo(customer), worker);
            summaries[customer] = (summary.Body, summary.Wamid);
        });
        Console.WriteLine($"{customers} customers at the summary of the same time ({picked.Distinct().Count()} distinct) after {setup.Elapsed.TotalSeconds:0.0} s");

        var latencies = new ConcurrentBag<double>();
        var answers = new ConcurrentBag<string>();
        var race = Stopwatch.StartNew();
        await Task.WhenAll(summaries.Select(async entry =>
        {
            var confirm = entry.Value.Body["interactive"]!["action"]!["buttons"]!.AsArray()
                .Select(b => b!["reply"]!["id"]!.GetValue<string>()).Single(id => id.StartsWith("ok:", StringComparison.Ordinal));
            await AnsweringNumbers.PostAsync(http, Tap(entry.Key, entry.Value.Wamid, confirm, "Confirm", number: Number));
            var posted = DateTimeOffset.UtcNow;
            var answer = await NextAsync(RepliesTo(entry.Key), worker);
            latencies.Add((answer.At - posted).TotalMilliseconds);
            answers.Add(answer.Body["type"]!.GetValue<string>() == "text" ? answer.Body["text"]!["body"]!.GetValue<string>() : answer.Body["interactive"]!["body"]!["text"]!.GetValue<string>());
        }));
        var raceTime = race.Elapsed;

        var booked = answers.Count(a => a.StartsWith("You're booked!", StringComparison.Ordinal));
        var taken = answers.Count(a => a.StartsWith("Sorry,", StringComparison.Ordinal) && a.Contains("was just taken", StringComparison.Ordinal));
        var stored = await db.ScalarAsync<long>("SELECT count(*) FROM bookings WHERE status = 'Confirmed'");
        Console.WriteLine();
        Console.WriteLine($"All {customers} answered {raceTime.TotalSeconds:0.00} s after the first Confirm");
        Console.WriteLine($"Bookings made: {stored}; told booked {booked}; told taken and shown the free times {taken}");
        Console.WriteLine($"Confirm tap → answer sent: p50 {Percentiles.Of([.. latencies], 50):0} ms, p95 {Percentiles.Of([.. latencies], 95):0} ms, "
            + $"max {latencies.Max():0} ms (goal p95 < 1000 ms)");
        var correct = picked.Distinct().Count() == 1 && stored == 1 && booked == 1 && taken == customers - 1;
        Console.WriteLine(correct ? "One booking, everyone else told." : "WRONG: the counts above do not add up.");
        return correct && Percentiles.Of([.. latencies], 95) < 1000 ? 0 : 1;
    }

    private static string FirstRow(JsonObject list, string prefix) =>
        list["interactive"]!["action"]!["sections"]!.AsArray().SelectMany(s => s!["rows"]!.AsArray())
            .Select(r => r!["id"]!.GetValue<string>()).First(id => id.StartsWith(prefix, StringComparison.Ordinal));
}
