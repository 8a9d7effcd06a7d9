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

        AnsweringNumbers.ApplySetArguments(args, settings);

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

        // --warm-up [N]: N races first (1 without a number; at most 4), not measured, each on a later
        // day's first time with other customers, so the measured one runs on code the runtime has
        // already compiled at its higher tiers — as in a Worker that has served for a while.
        var warmUps = args.SkipWhile(a => a != "--warm-up").Skip(1).FirstOrDefault() is { } n && int.TryParse(n, out var rounds) ? Math.Clamp(rounds, 1, 4)
            : args.Contains("--warm-up") ? 1 : 0;
        for (var round = 1; round <= warmUps; round++)
        {
            var warm = await RaceAsync(http, db, worker, RepliesTo, customers, firstCustomer: 6_000_000 + (round * 10_000), dayRow: round);
            Console.WriteLine($"Warm-up race {round}: all {customers} answered in {warm.Elapsed.TotalSeconds:0.00} s (not counted)");
        }

        var (latencies, answers, picked, raceTime, raceTap) = await RaceAsync(http, db, worker, RepliesTo, customers, firstCustomer: 5_000_000, dayRow: 0);

        // Where the time went, per Confirm: stored (the time in its UUIDv7 id; created_at is Meta's timestamp, in seconds) → its reply written (the reply run, queue included) → sent (the send run) (ms).
        foreach (var row in await db.RowsAsync("""
            SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY composed), percentile_cont(0.95) WITHIN GROUP (ORDER BY composed),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY sent), percentile_cont(0.95) WITHIN GROUP (ORDER BY sent)
            FROM (SELECT extract(epoch FROM o.created_at) * 1000 - ('x' || substr(replace(i.id::text, '-', ''), 1, 12))::bit(48)::bigint AS composed, extract(epoch FROM w.updated_at - o.created_at) * 1000 AS sent
                  FROM messages i JOIN messages o ON o.reply_to_turn = i.id JOIN work_items w ON w.subject_id = o.id AND w.kind = 'Send'
                  WHERE i.created_at >= $1 - interval '1 second' AND i.type IN ('interactive', 'button')) t
            """, raceTap))
        {
            Console.WriteLine($"  {row[0]} confirms: tap stored → reply written p50 {row[1]:0} ms, p95 {row[2]:0} ms; written → sent p50 {row[3]:0} ms, p95 {row[4]:0} ms");
        }

        var booked = answers.Count(a => a.StartsWith("You're booked!", StringComparison.Ordinal));
        var taken = answers.Count(a => a.StartsWith("Sorry,", StringComparison.Ordinal) && a.Contains("was just taken", StringComparison.Ordinal));
        // Each warm-up race made its own one booking, on another day.
        var stored = await db.ScalarAsync<long>("SELECT count(*) FROM bookings WHERE status = 'Confirmed'") - warmUps;
        Console.WriteLine();
        Console.WriteLine($"All {customers} answered {raceTime.TotalSeconds:0.00} s after the first Confirm");
        Console.WriteLine($"Bookings made: {stored}; told booked {booked}; told taken and shown the free times {taken}");
        Console.WriteLine($"Confirm tap → answer sent: p50 {Percentiles.Of([.. latencies], 50):0} ms, p95 {Percentiles.Of([.. latencies], 95):0} ms, "
            + $"max {latencies.Max():0} ms (goal p95 < 1000 ms)");
        var correct = picked.Distinct().Count() == 1 && stored == 1 && booked == 1 && taken == customers - 1;
        Console.WriteLine(correct ? "One booking, everyone else told." : "WRONG: the counts above do not add up.");
        return correct && Percentiles.Of([.. latencies], 95) < 1000 ? 0 : 1;
    }

    /// <summary>
    /// Brings every customer to the summary of the same time (the day list's row <paramref name="dayRow"/>,
    /// its first free time), a few at a time and not timed; then all tap Confirm at once.
    /// </summary>
    private static async Task<(ConcurrentBag<double> Latencies, ConcurrentBag<string> Answers, ConcurrentBag<string> Picked, TimeSpan Elapsed, DateTimeOffset Started)> RaceAsync(
        HttpClient http, Db db, HostProcess worker, Func<string, Channel<(JsonObject, string, DateTimeOffset)>> repliesTo, int customers, int firstCustomer, int dayRow)
    {
        var summaries = new ConcurrentDictionary<string, (JsonObject Body, string Wamid)>();
        var picked = new ConcurrentBag<string>();
        var setup = Stopwatch.StartNew();
        await Parallel.ForAsync(0, customers, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var customer = "1555" + (firstCustomer + i).ToString(CultureInfo.InvariantCulture);
            await AnsweringNumbers.PostMessageAsync(http, Number, customer, "Hi, I'd like to book an appointment");
            var days = await NextAsync(repliesTo(customer), worker);
            // Counted from the day after tomorrow (UTC): today's and tomorrow's first rows in the
            // business's zone may change while the customers are brought to them late in a day.
            var day = Rows(days.Body, "d:").Where(id => string.CompareOrdinal(id, FirstDay) >= 0).ElementAt(dayRow);
            await DeliveredAsync(db, days.Wamid);
            await AnsweringNumbers.PostAsync(http, Tap(customer, days.Wamid, day, day, list: true, number: Number));
            var times = await NextAsync(repliesTo(customer), worker);
            var time = Rows(times.Body, "t:").First();
            picked.Add(time);
            await DeliveredAsync(db, times.Wamid);
            await AnsweringNumbers.PostAsync(http, Tap(customer, times.Wamid, time, time, list: true, number: Number));
            var summary = await NextAsync(repliesTo(customer), worker);
            await DeliveredAsync(db, summary.Wamid);
            summaries[customer] = (summary.Body, summary.Wamid);
        });
        Console.WriteLine($"{customers} customers at the summary of the same time ({picked.Distinct().Count()} distinct) after {setup.Elapsed.TotalSeconds:0.0} s");

        var latencies = new ConcurrentBag<double>();
        var answers = new ConcurrentBag<string>();
        var started = DateTimeOffset.UtcNow;
        var race = Stopwatch.StartNew();
        await Task.WhenAll(summaries.Select(async entry =>
        {
            await AnsweringNumbers.PostAsync(http, Tap(entry.Key, entry.Value.Wamid, ConfirmId(entry.Value.Body), "Confirm", number: Number));
            var posted = DateTimeOffset.UtcNow;
            var answer = await NextAsync(repliesTo(entry.Key), worker);
            latencies.Add((answer.At - posted).TotalMilliseconds);
            answers.Add(answer.Body["type"]!.GetValue<string>() == "text" ? answer.Body["text"]!["body"]!.GetValue<string>() : answer.Body["interactive"]!["body"]!["text"]!.GetValue<string>());
        }));
        return (latencies, answers, picked, race.Elapsed, started);
    }

    private static readonly string FirstDay = $"d:{DateTime.UtcNow.Date.AddDays(2):yyyy-MM-dd}";

    private static IEnumerable<string> Rows(JsonObject list, string prefix) =>
        list["interactive"]!["action"]!["sections"]!.AsArray().SelectMany(s => s!["rows"]!.AsArray())
            .Select(r => r!["id"]!.GetValue<string>()).Where(id => id.StartsWith(prefix, StringComparison.Ordinal));
}
