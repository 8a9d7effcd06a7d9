using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsPeer.Testing;

namespace LeadsPeer.Knowledge.Benchmarks;

/// <summary>
/// Free times over 14 days for a service ten staff members do, with 10,000 confirmed bookings in
/// the calendar (100 days of them around today), asked of the Api process as the dashboard and
/// the booking flow ask: <c>GET /api/booking/slots</c>, sign-in and all.
/// </summary>
public static class SlotsBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var staff = args.SkipWhile(a => a != "--staff").Skip(1).Select(int.Parse).FirstOrDefault(10);
        var days = args.SkipWhile(a => a != "--days").Skip(1).Select(int.Parse).FirstOrDefault(100);
        var queries = args.SkipWhile(a => a != "--queries").Skip(1).Select(int.Parse).FirstOrDefault(300);
        Console.WriteLine($"Slots benchmark — {Environment.ProcessorCount} cores, {staff} staff, {staff * days * 10:N0} bookings over {days} days, {queries:N0} queries of 14 days");
        await using var postgres = await PostgresServer.StartNewAsync(durable: true);
        await using var redis = await RedisServer.StartNewAsync();
        await using var graph = await GraphApiStub.StartAsync();
        var settings = await AnsweringNumbers.PrepareAsync(postgres, redis, graph);
        await using var api = HostProcess.Start("LeadsPeer.Api", "Production", settings);
        await api.WaitForStatusAsync("/health", HttpStatusCode.OK, TimeSpan.FromSeconds(90));
        using var http = new HttpClient { BaseAddress = api.Address, Timeout = TimeSpan.FromMinutes(2) };
        (await http.PostAsJsonAsync("/api/onboarding/signup", new { organizationName = "Garden Town Clinic", name = "Owner", email = "owner@gtc.example", password = "correct horse battery staple" }))
            .EnsureSuccessStatusCode();
        using var login = await http.PostAsJsonAsync("/api/auth/login", new { email = "owner@gtc.example", password = "correct horse battery staple" });
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());

        // Open every day 09:00–19:00 (UTC, so the bookings below fall on the grid); a 30-minute consultation.
        var day = new[] { new { from = "09:00", to = "19:00" } };
        (await http.PutAsJsonAsync("/api/booking/hours", new
        {
            timeZone = "UTC", weekly = new { monday = day, tuesday = day, wednesday = day, thursday = day, friday = day, saturday = day, sunday = day },
        })).EnsureSuccessStatusCode();
        var staffIds = new List<Guid>();
        for (var i = 0; i < staff; i++)
        {
            using var created = await http.PostAsJsonAsync("/api/booking/staff", new { name = $"Doctor {i + 1}" });
            staffIds.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        }

        using var service = await http.PostAsJsonAsync("/api/booking/services", new { name = "Consultation", durationMinutes = 30, horizonDays = 60, minimumNoticeMinutes = 0, staffIds });
        var serviceId = (await service.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        // Every other half hour of every staff member's day is booked, half the days behind today and half ahead.
        var database = new Db(settings["ConnectionStrings__leadspeer"]);
        var clock = Stopwatch.StartNew();
        var stored = await database.ExecuteAsync("""
            INSERT INTO bookings (id, tenant_id, reference, service_id, service_name, staff_id, staff_name, start_at, end_at, blocked_until, exclusive, status,
                                  customer_name, booked_by, created_at, updated_at)
            SELECT gen_random_uuid(), s.tenant_id, 'BK-B-' || row_number() OVER (), $1, 'Consultation', s.id, s.name, x.t, x.t + interval '30 minutes',
                   x.t + interval '30 minutes', true, 'Confirmed', 'Walk-in', 'Team', now(), now()
            FROM booking_staff s
            CROSS JOIN generate_series(date_trunc('day', now()) - ($2 / 2) * interval '1 day', date_trunc('day', now()) + ($2 / 2 - 1) * interval '1 day', interval '1 day') d
            CROSS JOIN generate_series(0, 9) h
            CROSS JOIN LATERAL (SELECT d + interval '9 hours' + h * interval '1 hour' AS t) x
            """, serviceId, days);
        await database.ExecuteAsync("ANALYZE bookings");
        Console.WriteLine($"Stored {stored:N0} bookings in {clock.Elapsed.TotalSeconds:0.0} s");

        var from = DateTime.UtcNow.Date.AddDays(1);
        var path = $"/api/booking/slots?serviceId={serviceId}&from={from:yyyy-MM-dd}&to={from.AddDays(13):yyyy-MM-dd}";
        var latencies = new List<double>();
        var offered = 0;
        for (var i = 0; i < queries + 20; i++)
        {
            clock.Restart();
            using var response = await http.GetAsync(path);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            response.EnsureSuccessStatusCode();
            if (i >= 20) // the first calls compile the route
            {
                latencies.Add(clock.Elapsed.TotalMilliseconds);
                offered = body.GetProperty("slots").GetArrayLength();
            }
        }

        // Ten free starts a day (the half hours between bookings), each offered with all ten staff.
        var expected = 14 * 10;
        Console.WriteLine($"Slots over 14 days: p50 {Percentiles.Of(latencies, 50):0.0} ms, p95 {Percentiles.Of(latencies, 95):0.0} ms, max {latencies.Max():0.0} ms "
            + $"(goal p95 < 50 ms); {offered} starts offered (expected {expected})");
        return Percentiles.Of(latencies, 95) < 50 && offered == expected ? 0 : 1;
    }
}
