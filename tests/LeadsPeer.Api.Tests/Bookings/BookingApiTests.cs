using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsPeer.Core.Bookings;
using LeadsPeer.Core.Tenancy;
using LeadsPeer.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LeadsPeer.Api.Tests.Bookings;

/// <summary>
/// Booking through the API in Karachi's zone: set-up, free times, bookings that never collide
/// (the code under a row lock, PostgreSQL's exclusion constraint beneath), moves by the team that
/// the customer hears of, and bad input that names what is wrong and stores nothing.
/// </summary>
public sealed class BookingApiTests(TestStores stores) : IAsyncLifetime
{
    // Monday 4 January 2027, 08:00 in Karachi (UTC+5).
    private static readonly DateTimeOffset Now = new(2027, 1, 4, 3, 0, 0, TimeSpan.Zero);
    private ApiFactory _api = null!;
    private Db _db = null!;
    private HttpClient _owner = null!;
    private Guid _sara;
    private Guid _omar;
    private Guid _haircut;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateTimeOffset Karachi(int day, int hour, int minute = 0) => new(2027, 1, day, hour, minute, 0, TimeSpan.FromHours(5));

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        _api.Clock.SetUtcNow(Now);
        _db = new Db(_api.DatabaseConnectionString);
        _owner = await _api.SignUpAsync("Garden Town Salon", "owner@gts.example");
        var day = new[] { new { from = "09:00", to = "13:00" }, new { from = "14:00", to = "17:00" } };
        (await _owner.PutAsJsonAsync("/api/booking/hours", new
        {
            timeZone = "Asia/Karachi", referencePrefix = "GTS",
            weekly = new { monday = day, tuesday = day, wednesday = day, thursday = day, friday = day },
            specialDays = new[] { new { from = "2027-01-08", to = "2027-01-08", name = "Staff training", hours = Array.Empty<object>() } },
        }, Ct)).EnsureSuccessStatusCode();
        _sara = await IdAsync(await _owner.PostAsJsonAsync("/api/booking/staff", new { name = "Sara" }, Ct));
        _omar = await IdAsync(await _owner.PostAsJsonAsync("/api/booking/staff", new { name = "Omar", weeklyHours = new { monday = new[] { new { from = "14:00", to = "17:00" } } } }, Ct));
        _haircut = await IdAsync(await _owner.PostAsJsonAsync("/api/booking/services", new
        {
            name = "Haircut", durationMinutes = 45, bufferAfterMinutes = 15, price = 1500, currency = "PKR", staffIds = new[] { _sara, _omar },
        }, Ct));
    }

    [Fact]
    public async Task Free_times_follow_the_hours_in_the_business_zone_and_leave_out_special_days()
    {
        var hours = await _owner.GetFromJsonAsync<JsonElement>("/api/booking/hours", Ct);
        var slots = await _owner.GetFromJsonAsync<JsonElement>($"/api/booking/slots?serviceId={_haircut}&from=2027-01-04&to=2027-01-08", Ct);

        Assert.Equal("Asia/Karachi", hours.GetProperty("timeZone").GetString());
        Assert.Equal("13:00", hours.GetProperty("weekly").GetProperty("monday")[0].GetProperty("to").GetString());
        var starts = slots.GetProperty("slots").EnumerateArray().ToList();
        Assert.Equal("2027-01-04T09:00", starts[0].GetProperty("local").GetString()); // 60 minutes' notice from 08:00
        Assert.Equal(Karachi(4, 9), starts[0].GetProperty("start").GetDateTimeOffset());
        Assert.Equal([_sara.ToString()], starts[0].GetProperty("staffIds").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(2, starts.Single(s => s.GetProperty("local").GetString() == "2027-01-04T14:00").GetProperty("staffIds").GetArrayLength()); // Omar too
        Assert.DoesNotContain(starts, s => s.GetProperty("local").GetString()!.StartsWith("2027-01-08", StringComparison.Ordinal)); // staff training
        Assert.Equal(4 * 12, starts.Count); // Monday to Thursday: 7 morning and 5 afternoon starts each
        var service = Assert.Single((await _owner.GetFromJsonAsync<JsonElement>("/api/booking/services", Ct)).EnumerateArray());
        Assert.Equal((1500m, "PKR", 30), (service.GetProperty("price").GetDecimal(), service.GetProperty("currency").GetString(), service.GetProperty("intervalMinutes").GetInt32()));
    }

    [Fact]
    public async Task The_team_calendar_shows_each_person_s_working_hours_and_bookings_by_minute_in_the_business_zone()
    {
        (await _owner.PostAsJsonAsync("/api/bookings", new { serviceId = _haircut, staffId = _omar, start = Karachi(4, 15, 30), customerName = "Ayesha" }, Ct)).EnsureSuccessStatusCode();
        (await _owner.PostAsJsonAsync("/api/bookings", new { serviceId = _haircut, start = Karachi(5, 9), customerName = "Bilal" }, Ct)).EnsureSuccessStatusCode();
        await using var scope = _api.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(await _db.ScalarAsync<Guid>("SELECT tenant_id FROM booking_settings"));
        var calendar = scope.ServiceProvider.GetRequiredService<TeamCalendar>();

        var monday = await calendar.ViewAsync(null, 1, null, Ct); // today, in Karachi
        var week = await calendar.ViewAsync("2027-01-04", 7, _sara, Ct);

        Assert.Equal(("Asia/Karachi", "2027-01-04"), (monday.TimeZone, monday.From));
        Assert.Equal(["Omar", "Sara"], monday.Columns.Select(c => c.StaffName));
        var omar = monday.Columns[0];
        Assert.Equal([new DayRange(14 * 60, 17 * 60)], omar.Open); // his own hours within the opening hours
        var block = Assert.Single(omar.Bookings);
        Assert.Equal(("Ayesha", 15 * 60 + 30, 16 * 60 + 15, "GTS-B-101"), (block.CustomerName, block.From, block.To, block.Reference));
        Assert.Equal([new DayRange(9 * 60, 13 * 60), new DayRange(14 * 60, 17 * 60)], monday.Columns[1].Open);
        Assert.Equal((9 * 60, 17 * 60), (monday.FirstMinute, monday.LastMinute));
        Assert.Equal(7, week.Columns.Count);
        Assert.All(week.Columns, c => Assert.Equal("Sara", c.StaffName));
        Assert.Equal("GTS-B-102", Assert.Single(week.Columns[1].Bookings).Reference);
        Assert.Equal("Closed on 2027-01-08 (Staff training).", week.Columns[4].Closed);
        Assert.Equal("Closed on Saturdays.", week.Columns[5].Closed);
        Assert.Equal(Karachi(5, 9, 30), TeamCalendar.At("2027-01-05", "09:30", "Asia/Karachi"));
        Assert.Null(TeamCalendar.At("2027-01-05", "25:00", "Asia/Karachi"));
        // The REST list reads the same days of Karachi's calendar.
        var listed = await _owner.GetFromJsonAsync<JsonElement>("/api/bookings?from=2027-01-05&to=2027-01-05", Ct);
        Assert.Equal(["GTS-B-102"], listed.EnumerateArray().Select(b => b.GetProperty("reference").GetString()));
    }

    [Fact]
    public async Task Fifty_team_members_booking_the_same_time_at_once_make_one_booking_the_rest_are_told_the_next_free_times()
    {
        var tasks = Enumerable.Range(0, 50).Select(i => _owner.PostAsJsonAsync("/api/bookings",
            new { serviceId = _haircut, staffId = _sara, start = Karachi(5, 10), customerName = $"Walk-in {i}" }, Ct)).ToList();
        var answers = await Task.WhenAll(tasks);

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(49, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        var refusal = await answers.First(a => a.StatusCode == HttpStatusCode.Conflict).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal([Karachi(5, 11), Karachi(5, 11, 30), Karachi(5, 12)], refusal.GetProperty("nextFree").EnumerateArray().Select(t => t.GetDateTimeOffset()));
        Assert.Equal(1, await _db.CountAsync("bookings"));
        Assert.Equal("GTS-B-101", await _db.ScalarAsync<string>("SELECT reference FROM bookings"));
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    [Fact]
    public async Task PostgreSQL_itself_refuses_an_overlapping_confirmed_booking_inserted_directly()
    {
        const string insert = """
            INSERT INTO bookings (id, tenant_id, reference, service_id, service_name, staff_id, staff_name, start_at, end_at, blocked_until, exclusive, status, booked_by, created_at, updated_at)
            SELECT gen_random_uuid(), tenant_id, $1, id, name, $2, 'Sara', $3, $3 + interval '45 minutes', $3 + interval '60 minutes', true, $4, 'Team', now(), now()
            FROM booking_services
            """;
        await _db.ExecuteAsync(insert, "GTS-B-1", _sara, Karachi(5, 10).ToUniversalTime(), "Confirmed");

        var overlap = await Assert.ThrowsAsync<PostgresException>(() => _db.ExecuteAsync(insert, "GTS-B-2", _sara, Karachi(5, 10, 30).ToUniversalTime(), "Confirmed"));

        Assert.Equal(PostgresErrorCodes.ExclusionViolation, overlap.SqlState);
        Assert.Equal("ex_bookings_staff_overlap", overlap.ConstraintName);
        await _db.ExecuteAsync(insert, "GTS-B-3", _sara, Karachi(5, 11).ToUniversalTime(), "Confirmed"); // right after the buffer
        await _db.ExecuteAsync(insert, "GTS-B-4", _omar, Karachi(5, 10, 30).ToUniversalTime(), "Confirmed"); // another staff member
        await _db.ExecuteAsync(insert, "GTS-B-5", _sara, Karachi(5, 10, 30).ToUniversalTime(), "Cancelled"); // a cancelled booking holds no time
        Assert.Equal(4, await _db.CountAsync("bookings"));
    }

    [Fact]
    public async Task The_team_reschedules_and_cancels_the_customer_hears_of_each_and_illegal_moves_are_409_with_the_status()
    {
        using var sandbox = await _owner.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        var connection = await IdAsync(sandbox);
        (await _owner.PostAsJsonAsync($"/api/sandbox/connections/{connection}/customer-messages", new { text = "Can I get a haircut?", from = "15550000001" }, Ct)).EnsureSuccessStatusCode();
        var contact = await _db.ScalarAsync<Guid>("SELECT id FROM contacts");
        using var booked = await _owner.PostAsJsonAsync("/api/bookings", new { serviceId = _haircut, start = Karachi(5, 10), contactId = contact }, Ct);
        var booking = await booked.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = booking.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
        Assert.Equal(("Sara", "2027-01-05T10:00", "Confirmed"), (booking.GetProperty("staffName").GetString(), booking.GetProperty("local").GetString(), booking.GetProperty("status").GetString()));
        Assert.NotEqual(JsonValueKind.Null, booking.GetProperty("conversationId").ValueKind);

        using var early = await _owner.PostAsync($"/api/bookings/{id}/complete", null, Ct);
        using var moved = await _owner.PostAsJsonAsync($"/api/bookings/{id}/reschedule", new { start = Karachi(11, 15), staffId = _omar }, Ct);
        using var noReason = await _owner.PostAsJsonAsync($"/api/bookings/{id}/cancel", new { }, Ct);
        using var cancelled = await _owner.PostAsJsonAsync($"/api/bookings/{id}/cancel", new { reason = "Omar is ill." }, Ct);
        using var again = await _owner.PostAsJsonAsync($"/api/bookings/{id}/reschedule", new { start = Karachi(11, 16) }, Ct);

        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode); // it has not started yet
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var after = await moved.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(("Omar", "2027-01-11T15:00"), (after.GetProperty("staffName").GetString(), after.GetProperty("local").GetString()));
        Assert.Equal(Karachi(5, 10), Assert.Single(after.GetProperty("moves").EnumerateArray()).GetProperty("fromStart").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("Cancelled", (await again.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetString());
        Assert.Equal([
            "Your booking GTS-B-101 (Haircut with Omar) has moved to Mon 11 Jan at 15:00.",
            "Your booking GTS-B-101 (Haircut on Mon 11 Jan at 15:00) was cancelled: Omar is ill."],
            (await _db.RowsAsync("SELECT text FROM messages WHERE direction = 'Outbound' ORDER BY created_at")).Select(r => (string)r[0]!));
        Assert.Equal(["Cancelled", "Team", "Omar is ill."], (await _db.RowsAsync("SELECT status, cancelled_by, cancel_reason FROM bookings")).Single());

        // The time is free again; the customer's export carries the booking, and erasing them keeps it in the books without them.
        var export = await _owner.GetFromJsonAsync<JsonElement>($"/api/contacts/{contact}/export", Ct);
        Assert.Equal("GTS-B-101", Assert.Single(export.GetProperty("bookings").EnumerateArray()).GetProperty("reference").GetString());
        (await _owner.DeleteAsync($"/api/contacts/{contact}", Ct)).EnsureSuccessStatusCode();
        Assert.Equal(["GTS-B-101", null, null, null], (await _db.RowsAsync("SELECT reference, contact_id, conversation_id, customer_name FROM bookings")).Single());
    }

    [Fact]
    public async Task Bad_set_up_and_bad_bookings_name_what_is_wrong_and_store_nothing()
    {
        var before = await _db.ScalarAsync<string>("SELECT weekly_hours::text || time_zone FROM booking_settings");
        using var walkIn = await _owner.PostAsJsonAsync("/api/bookings", new { serviceId = _haircut, start = Karachi(5, 10), customerName = "Ayesha" }, Ct);
        var id = await IdAsync(walkIn);

        await Refused("/api/booking/hours", HttpMethod.Put, new { timeZone = "Mars/Olympus" }, "timeZone", "is not a time zone");
        await Refused("/api/booking/hours", HttpMethod.Put, new { timeZone = "UTC", weekly = new { monday = new[] { new { from = "09:00", to = "25:00" } } } }, "weekly.monday[0]", "\"25:00\" is not a time of day");
        await Refused("/api/booking/hours", HttpMethod.Put, new { weekly = new { monday = new[] { new { from = "09:00", to = "13:00" }, new { from = "12:00", to = "15:00" } } } }, "weekly.monday", "overlap");
        await Refused("/api/booking/hours", HttpMethod.Put, new { weekly = new { someday = Array.Empty<object>() } }, "weekly.someday", "monday to sunday");
        await Refused("/api/booking/hours", HttpMethod.Put, new { cancellationNoticeMinutes = -60 }, "cancellationNoticeMinutes", "From 0 to");
        await Refused("/api/booking/services", HttpMethod.Post, new { name = "Colour", durationMinutes = 60, staffIds = new[] { Guid.NewGuid() } }, "staffIds", "There is no staff member");
        await Refused("/api/booking/services", HttpMethod.Post, new { name = "Colour", durationMinutes = 2000 }, "durationMinutes", "From 5 to 1440");
        await Refused("/api/booking/staff", HttpMethod.Post, new { name = "Zain", daysOff = new[] { "2027-02-30" } }, "daysOff[0]", "is not a date");
        await Refused("/api/bookings", HttpMethod.Post, new { serviceId = _haircut, start = Karachi(4, 7), customerName = "Ali" }, "start", "That time has passed.");
        await Refused("/api/bookings", HttpMethod.Post, new { serviceId = _haircut, start = Karachi(5, 12, 30), customerName = "Ali" }, "start", "outside the opening hours");
        await Refused("/api/bookings", HttpMethod.Post, new { serviceId = _haircut, start = Karachi(5, 10), staffId = Guid.NewGuid(), customerName = "Ali" }, "staffId", "they do not do Haircut");
        await Refused("/api/bookings", HttpMethod.Post, new { serviceId = _haircut, start = Karachi(4, 10), staffId = _omar, customerName = "Ali" }, "start", "outside Omar's hours");
        await Refused("/api/bookings", HttpMethod.Post, new { serviceId = _haircut, start = Karachi(8, 10), customerName = "Ali" }, "start", "Closed on 2027-01-08 (Staff training).");
        await Refused("/api/bookings", HttpMethod.Post, new { serviceId = _haircut, start = Karachi(5, 11) }, "customerName", "Name the customer");
        await Refused("/api/bookings", HttpMethod.Post, new { serviceId = _haircut, start = Karachi(5, 11), contactId = Guid.NewGuid() }, "contactId", "only someone who has written");
        await Refused("/api/booking/slots?serviceId=" + _haircut + "&from=2027-01-04&to=2027-06-01", HttpMethod.Get, null, "to", "62 days at most");

        // A taken time is a conflict, not a mistake: the team is offered the next free ones.
        using var taken = await _owner.PostAsJsonAsync($"/api/bookings", new { serviceId = _haircut, staffId = _sara, start = Karachi(5, 10, 30), customerName = "Ali" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Contains("busy then (booking GTS-B-101)", (await taken.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("title").GetString());
        using var anyone = await _owner.PostAsJsonAsync($"/api/bookings", new { serviceId = _haircut, start = Karachi(5, 10, 30), customerName = "Ali" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, anyone.StatusCode); // Omar does not work on Tuesdays, Sara is busy: taken, not a mistake
        using var removeStaff = await _owner.DeleteAsync($"/api/booking/staff/{_sara}", Ct);
        using var removeService = await _owner.DeleteAsync($"/api/booking/services/{_haircut}", Ct);
        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict), (removeStaff.StatusCode, removeService.StatusCode));

        Assert.Equal(before, await _db.ScalarAsync<string>("SELECT weekly_hours::text || time_zone FROM booking_settings"));
        Assert.Equal((1L, 1L, 2L), (await _db.CountAsync("bookings"), await _db.CountAsync("booking_services"), await _db.CountAsync("booking_staff")));
        Assert.Equal(id, await _db.ScalarAsync<Guid>("SELECT id FROM bookings"));
    }

    private async Task Refused(string path, HttpMethod method, object? body, string field, string message)
    {
        using var response = await _owner.SendAsync(new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) }, Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {path}: {(int)response.StatusCode} {problem}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(message, problem.GetProperty("errors").GetProperty(field)[0].GetString());
    }

    private async Task<Guid> IdAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.IsSuccessStatusCode, body);
            return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _owner.Dispose();
        await _api.DisposeAsync();
    }
}
