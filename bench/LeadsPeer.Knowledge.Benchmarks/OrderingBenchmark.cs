using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using LeadsPeer.Testing;

namespace LeadsPeer.Knowledge.Benchmarks;

/// <summary>
/// The last-items race through the Api and Worker processes: every customer orders the same bun
/// on WhatsApp (typed item, checkout, pickup time) until all of them look at the summary, then all
/// tap Confirm at once. Measured per customer: from the webhook's 200 for the tap to the answer
/// reaching the Graph stub. Exactly as many orders as there were buns, nobody oversold, everyone
/// else told they are sold out.
/// </summary>
public static class OrderingBenchmark
{
    private const string Number = "106540352240021";

    public static async Task<int> RunAsync(string[] args)
    {
        var customers = args.SkipWhile(a => a != "--customers").Skip(1).Select(int.Parse).FirstOrDefault(200);
        var stock = args.SkipWhile(a => a != "--stock").Skip(1).Select(int.Parse).FirstOrDefault(50);
        // Meta's default throughput per number is 80 messages/s; numbers in higher tiers get up to 1,000.
        var perSecond = args.SkipWhile(a => a != "--number-mps").Skip(1).Select(int.Parse).FirstOrDefault(80);
        // The hosts start cold: their code runs unoptimised until tiered compilation catches up. With
        // --full-jit it is compiled fully on first use, closer to a Worker that has run for a while.
        var fullJit = args.Contains("--full-jit");
        // --warm-up [N]: N other customers (100 without a number) order another item through Confirm
        // first, so the race meets a Worker that has placed orders before, as one serving a while has.
        var warm = args.SkipWhile(a => a != "--warm-up").Skip(1).FirstOrDefault() is { } n && int.TryParse(n, out var count) ? count
            : args.Contains("--warm-up") ? 100 : 0;
        // With --statements PostgreSQL counts what it ran during the race (pg_stat_statements) and the
        // command prints the statements by time: where the database's share of a turn goes.
        var statements = args.Contains("--statements");
        Console.WriteLine($"Ordering race — {Environment.ProcessorCount} cores, local provider, {customers} customers confirm at once, {stock} in stock, "
            + $"the number sends {perSecond} messages/s{(fullJit ? ", code compiled fully on first use" : "")}{(warm > 0 ? $", {warm} orders placed before it" : "")}");
        await using var postgres = await PostgresServer.StartNewAsync(durable: true,
            statements ? new Dictionary<string, string> { ["shared_preload_libraries"] = "pg_stat_statements" } : null);
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
        await db.ExecuteAsync("""
            INSERT INTO ordering_settings (tenant_id, enabled, currency, reference_prefix, next_order_number, delivery, pickup, delivery_fee_minor,
                                           delivery_areas, minimum_order_minor, lead_time_minutes, payment_methods, update_template_parameters)
            SELECT id, true, 'PKR', 'GTB', 1001, false, true, 0, '{}', 0, 0, '{CashOnDelivery}', '{}' FROM organizations
            """);
        await db.ExecuteAsync("""
            INSERT INTO products (id, tenant_id, sku, name, category, price_minor, available, stock, created_at, updated_at)
            SELECT gen_random_uuid(), id, 'BUN', 'Cinnamon bun', 'Buns', 15000, true, $1, now(), now() FROM organizations;
            """, stock);

        var replies = new ConcurrentDictionary<string, Channel<(JsonObject Body, string Wamid, DateTimeOffset At)>>();
        Channel<(JsonObject, string, DateTimeOffset)> RepliesTo(string customer) => replies.GetOrAdd(customer, _ => Channel.CreateUnbounded<(JsonObject, string, DateTimeOffset)>());
        graph.BeforeSendAnswer = (body, wamid, _) => RepliesTo(body["to"]!.GetValue<string>()).Writer.WriteAsync((body, wamid, DateTimeOffset.UtcNow)).AsTask();

        await using var api = HostProcess.Start("LeadsPeer.Api", "Production", settings);
        await using var worker = HostProcess.Start("LeadsPeer.Worker", "Production", settings);
        await api.WaitForStatusAsync("/health", HttpStatusCode.OK, TimeSpan.FromSeconds(90));
        await worker.WaitForStatusAsync("/health", HttpStatusCode.OK, TimeSpan.FromSeconds(90));
        using var http = new HttpClient { BaseAddress = api.Address };

        // A customer from the greeting to the order's summary with its Confirm button (not timed).
        async Task<(JsonObject Body, string Wamid)> ToSummaryAsync(string customer, string item)
        {
            await AnsweringNumbers.PostMessageAsync(http, Number, customer, $"Hi, I'd like to order 1 {item}");
            var cart = await NextAsync(RepliesTo(customer), worker);
            await DeliveredAsync(db, cart.Wamid);
            await AnsweringNumbers.PostAsync(http, Tap(customer, cart.Wamid, "checkout", "Checkout"));
            await NextAsync(RepliesTo(customer), worker);
            await AnsweringNumbers.PostMessageAsync(http, Number, customer, "Friday 5 pm");
            var summary = await NextAsync(RepliesTo(customer), worker);
            if (!summary.Body.ToJsonString().Contains("\"ok:", StringComparison.Ordinal))
            {
                // Not the summary with its Confirm button: say what came instead, rather than fail on it in the race.
                var said = summary.Body["type"]!.GetValue<string>() == "text" ? summary.Body["text"]!["body"] : summary.Body["interactive"]?["body"]?["text"];
                throw new InvalidOperationException($"A customer's third reply was not the order summary: \"{said}\"{Environment.NewLine}{worker.Output}");
            }

            await DeliveredAsync(db, summary.Wamid);
            return (summary.Body, summary.Wamid);
        }

        // Without a warm-up the race meets a Worker that has never placed an order: its confirm path
        // runs for the first time (EF Core's queries compiled, the code at its first tier) in the race.
        if (warm > 0)
        {
            await db.ExecuteAsync("""
                INSERT INTO products (id, tenant_id, sku, name, category, price_minor, available, stock, created_at, updated_at)
                SELECT gen_random_uuid(), id, 'ROLL', 'Garlic roll', 'Bread', 9000, true, NULL, now(), now() FROM organizations;
                """);
            var warming = Stopwatch.StartNew();
            await Parallel.ForAsync(0, warm, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            {
                var customer = "1555" + (5_000_000 + i).ToString(CultureInfo.InvariantCulture);
                var summary = await ToSummaryAsync(customer, "garlic roll");
                await AnsweringNumbers.PostAsync(http, Tap(customer, summary.Wamid, ConfirmId(summary.Body), "Confirm"));
                var answer = await NextAsync(RepliesTo(customer), worker);
                await DeliveredAsync(db, answer.Wamid);
            });
            // Tiered compilation promotes hot methods in the background a moment after they get hot.
            await Task.Delay(TimeSpan.FromSeconds(3));
            Console.WriteLine($"{warm} other customers ordered garlic rolls first, in {warming.Elapsed.TotalSeconds:0.0} s");
        }

        // Every customer to the summary, a few at a time (not timed).
        var summaries = new ConcurrentDictionary<string, (JsonObject Body, string Wamid)>();
        var setup = Stopwatch.StartNew();
        await Parallel.ForAsync(0, customers, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            var customer = "1555" + (4_000_000 + i).ToString(CultureInfo.InvariantCulture);
            summaries[customer] = await ToSummaryAsync(customer, "cinnamon bun");
        });
        Console.WriteLine($"{customers} customers at the summary after {setup.Elapsed.TotalSeconds:0.0} s");

        if (statements)
        {
            await db.ExecuteAsync("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            await db.ExecuteAsync("SELECT pg_stat_statements_reset()");
        }

        // All confirm at once.
        var latencies = new ConcurrentBag<double>();
        var answers = new ConcurrentBag<string>();
        var confirmed = new ConcurrentBag<double>();
        var cpu = CpuSplit.Start(api, worker);
        var race = Stopwatch.StartNew();
        await Task.WhenAll(summaries.Select(async entry =>
        {
            await AnsweringNumbers.PostAsync(http, Tap(entry.Key, entry.Value.Wamid, ConfirmId(entry.Value.Body), "Confirm"));
            var posted = DateTimeOffset.UtcNow;
            var answer = await NextAsync(RepliesTo(entry.Key), worker);
            var text = answer.Body["type"]!.GetValue<string>() == "text" ? answer.Body["text"]!["body"]!.GetValue<string>() : answer.Body["interactive"]!["body"]!["text"]!.GetValue<string>();
            latencies.Add((answer.At - posted).TotalMilliseconds);
            answers.Add(text);
            if (IsConfirmation(text))
            {
                confirmed.Add((answer.At - posted).TotalMilliseconds);
            }
        }));
        var raceTime = race.Elapsed;
        var cpuLine = cpu.Describe(customers, "Confirm tap");

        var placed = answers.Count(IsConfirmation);
        var soldOut = answers.Count(a => a.Contains("sold out", StringComparison.Ordinal));
        const string buns = "FROM orders o WHERE EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.sku = 'BUN')";
        var orders = await db.ScalarAsync<long>($"SELECT count(*) {buns}");
        var left = await db.ScalarAsync<int>("SELECT stock FROM products WHERE sku = 'BUN'");
        var references = await db.ScalarAsync<long>($"SELECT count(DISTINCT reference) {buns}");
        Console.WriteLine();
        Console.WriteLine($"All {customers} answered {raceTime.TotalSeconds:0.00} s after the first Confirm");
        Console.WriteLine($"Orders placed: {orders} (distinct references {references}); confirmations {placed}; told sold out {soldOut}; stock left {left}");
        Console.WriteLine($"Confirm tap → answer sent: p50 {Percentiles.Of([.. latencies], 50):0} ms, p95 {Percentiles.Of([.. latencies], 95):0} ms, "
            + $"max {latencies.Max():0} ms (goal p95 < 1000 ms)");
        // The issue's goal names "the confirmation message": the line above is the stricter reading
        // (every customer's answer, the sold-out ones too) and the one this command is judged on.
        if (!confirmed.IsEmpty)
        {
            Console.WriteLine($"Of those, the {confirmed.Count} order confirmations: p50 {Percentiles.Of([.. confirmed], 50):0} ms, p95 {Percentiles.Of([.. confirmed], 95):0} ms, "
                + $"max {confirmed.Max():0} ms");
        }

        Console.WriteLine(cpuLine);

        if (statements)
        {
            await PrintStatementsAsync(db, customers);
        }

        var correct = orders == stock && placed == stock && soldOut == customers - stock && left == 0 && references == stock;
        Console.WriteLine(correct ? "Nothing oversold, nobody left without an answer." : "WRONG: the counts above do not add up.");
        return correct && Percentiles.Of([.. latencies], 95) < 1000 ? 0 : 1;
    }

    /// <summary>What PostgreSQL ran during the race, per customer, the most expensive first.</summary>
    private static async Task PrintStatementsAsync(Db db, int customers)
    {
        var rows = await db.RowsAsync("""
            SELECT calls, total_exec_time, left(regexp_replace(query, '\s+', ' ', 'g'), 110)
            FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC
            """);
        var calls = rows.Sum(r => (long)r[0]!);
        var time = rows.Sum(r => (double)r[1]!);
        Console.WriteLine();
        Console.WriteLine($"PostgreSQL during the race: {calls} statements, {(double)calls / customers:0.0} per customer, "
            + $"{time / customers:0.00} ms of execution per customer ({rows.Count} distinct)");
        foreach (var row in rows)
        {
            Console.WriteLine($"  {(long)row[0]!,6} calls {(double)row[1]!,9:0.0} ms  {row[2]}");
        }
    }

    /// <summary>The id of the Confirm button on a summary (an order's or a booking's).</summary>
    internal static string ConfirmId(JsonObject summary) =>
        summary["interactive"]!["action"]!["buttons"]!.AsArray()
            .Select(b => b!["reply"]!["id"]!.GetValue<string>()).Single(id => id.StartsWith("ok:", StringComparison.Ordinal));

    private static bool IsConfirmation(string text) => text.StartsWith("Thank you! Your order", StringComparison.Ordinal);

    /// <summary>
    /// Waits until the Worker has recorded the wamid Graph gave for a message. The stub hands the
    /// message over before it answers the send; a real customer taps only what reached their phone,
    /// after Meta's answer, when the message can be found by its wamid.
    /// </summary>
    internal static async Task DeliveredAsync(Db db, string wamid)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await db.ScalarAsync<long>("SELECT count(*) FROM messages WHERE wa_message_id = $1", wamid) == 0)
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>A tap on a button (or, with <paramref name="list"/>, a list row) of the message <paramref name="answered"/>, as Meta's webhook carries it.</summary>
    internal static JsonObject Tap(string customer, string answered, string id, string title, bool list = false, string number = Number)
    {
        var tap = MetaPayloads.Message(number, customer, MetaPayloads.NewWamid(), new JsonObject
        {
            ["type"] = "interactive",
            ["interactive"] = list
                ? new JsonObject { ["type"] = "list_reply", ["list_reply"] = new JsonObject { ["id"] = id, ["title"] = title } }
                : new JsonObject { ["type"] = "button_reply", ["button_reply"] = new JsonObject { ["id"] = id, ["title"] = title } },
        });
        tap["entry"]![0]!["changes"]![0]!["value"]!["messages"]![0]!["context"] = new JsonObject { ["from"] = "15550783881", ["id"] = answered };
        return tap;
    }

    internal static async Task<(JsonObject Body, string Wamid, DateTimeOffset At)> NextAsync(Channel<(JsonObject, string, DateTimeOffset)> replies, HostProcess worker)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            return await replies.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No reply within 2 minutes.{Environment.NewLine}{worker.Output}");
        }
    }
}
