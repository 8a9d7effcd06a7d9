using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadsPeer.Api.Tests.Templates;
using LeadsPeer.Core.Bookings;
using LeadsPeer.Core.Tenancy;
using LeadsPeer.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsPeer.Api.Tests.Bookings;

/// <summary>
/// Reminders in Karachi's zone on the test's clock: armed with the booking, sent once when due
/// (buttons inside the window, the reminder template with its quick replies outside it), passed
/// over with a reason when neither can go, moved with the booking and withdrawn when it is cancelled.
/// The Worker's part (the sweeper finding the row, the taps) is in the Worker's tests.
/// </summary>
public sealed class BookingReminderTests(TestStores stores) : IAsyncLifetime
{
    // Monday 4 January 2027, 08:00 in Karachi (UTC+5).
    private static readonly DateTimeOffset Now = new(2027, 1, 4, 3, 0, 0, TimeSpan.Zero);
    private ApiFactory _api = null!;
    private Db _db = null!;
    private HttpClient _owner = null!;
    private Guid _sandbox;
    private Guid _haircut;
    private Guid _contact;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateTimeOffset Karachi(int day, int hour, int minute = 0) => new(2027, 1, day, hour, minute, 0, TimeSpan.FromHours(5));

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        _api.GraphInProcess = true; // the sandbox number's templates are created and reviewed by the simulator
        _api.Clock.SetUtcNow(Now);
        _db = new Db(_api.DatabaseConnectionString);
        _owner = await _api.SignUpAsync("Garden Town Salon", "owner@gts.example");
        _sandbox = await TemplateScenario.SandboxAsync(_owner, Ct);
        await TemplateScenario.ApprovedAsync(_api, _owner, _sandbox, "booking_reminder", "UTILITY", Ct,
            body: "Hi {{1}}, a reminder of {{2}} on {{3}} (booking {{4}}).",
            examples: new Dictionary<string, string> { ["1"] = "Sam", ["2"] = "Haircut", ["3"] = "Tue 5 Jan at 10:00", ["4"] = "GTS-B-101" },
            quickReplies: ["I'll be there", "Cancel it", "Reschedule"]); // the simulated review moves the clock on 3 s
        await SaveHoursAsync(new { minutesBefore = new[] { 120, 1440 } });
        var sara = await IdAsync(await _owner.PostAsJsonAsync("/api/booking/staff", new { name = "Sara" }, Ct));
        _haircut = await IdAsync(await _owner.PostAsJsonAsync("/api/booking/services", new { name = "Haircut", durationMinutes = 45, staffIds = new[] { sara } }, Ct));
        (await _owner.PostAsJsonAsync($"/api/sandbox/connections/{_sandbox}/customer-messages", new { text = "Can I get a haircut?", from = "15550000001" }, Ct)).EnsureSuccessStatusCode();
        _contact = await _db.ScalarAsync<Guid>("SELECT id FROM contacts");
    }

    [Fact]
    public async Task A_reminder_is_armed_with_the_booking_sent_once_as_buttons_when_due_and_the_next_is_armed()
    {
        var booking = await BookAsync(Karachi(5, 10));
        Assert.Equal((Karachi(4, 10), "Pending"), await ReminderRowAsync(booking)); // the day before, then two hours before

        _api.Clock.SetUtcNow(Karachi(4, 9, 59).ToUniversalTime());
        Assert.Equal(ReminderRun.NotDue, await RunAsync(booking));
        _api.Clock.SetUtcNow(Karachi(4, 10).AddSeconds(30).ToUniversalTime());
        var runs = await Task.WhenAll(RunAsync(booking), RunAsync(booking)); // two Workers woken at once

        // One sends; the other finds it sent (read after the commit) or loses the claim (read before it).
        Assert.Equal(1, runs.Count(r => r == ReminderRun.Sent));
        Assert.Contains(runs.Single(r => r != ReminderRun.Sent), new[] { ReminderRun.Overtaken, ReminderRun.NotDue });
        var sent = Assert.Single(await _db.RowsAsync("SELECT text, payload::text, asked_by, author FROM messages WHERE direction = 'Outbound'"));
        Assert.Equal("Reminder: your booking GTS-B-101, Haircut with Sara, is tomorrow: Tue 5 Jan at 10:00.\nTap Confirm if you are coming, or Cancel or Reschedule.", sent[0]);
        var buttons = JsonNode.Parse((string)sent[1]!)!["interactive"]!["action"]!["buttons"]!.AsArray();
        Assert.Equal([$"c:{booking:N}", $"x:{booking:N}", $"m:{booking:N}"], buttons.Select(b => b!["reply"]!["id"]!.GetValue<string>()));
        Assert.Equal(("flow:my-bookings:remind", "System"), ((string)sent[2]!, (string)sent[3]!));
        Assert.Equal(new[] { 1440 }, await _db.ScalarAsync<int[]>("SELECT reminders_sent FROM bookings"));
        Assert.Equal(Karachi(5, 8), (await ReminderRowAsync(booking)).DueAt);
        _owner = await _api.SignInAsync("owner@gts.example", ApiFactory.Password); // two hours on: a new session
        var shown = await _owner.GetFromJsonAsync<JsonElement>($"/api/bookings/{booking}", Ct); // the team sees it went
        Assert.Equal([1440], shown.GetProperty("remindersSent").EnumerateArray().Select(m => m.GetInt32()));
        Assert.Equal(ReminderRun.NotDue, await RunAsync(booking)); // run again: nothing more
        Assert.Equal(1, await _db.CountAsync("messages", "direction = 'Outbound'"));

        // New reminder times apply to the bookings already made: none withdraws the row, one hour before arms it again.
        await SaveHoursAsync(new { minutesBefore = Array.Empty<int>() });
        Assert.Equal("Done", (await ReminderRowAsync(booking)).State);
        await SaveHoursAsync(new { minutesBefore = new[] { 60 } });
        Assert.Equal((Karachi(5, 9), "Pending"), await ReminderRowAsync(booking));
    }

    [Fact]
    public async Task Outside_the_window_the_reminder_template_goes_with_its_quick_replies_carrying_the_actions()
    {
        await SaveHoursAsync(new
        {
            minutesBefore = new[] { 1440 }, templateName = "booking_reminder", templateLanguage = "en_US",
            templateParameters = new Dictionary<string, string> { ["1"] = "name", ["2"] = "service", ["3"] = "time", ["4"] = "reference" },
        });
        var booking = await BookAsync(Karachi(6, 10));
        _api.Clock.SetUtcNow(Karachi(5, 10).ToUniversalTime()); // the customer wrote on Monday morning: the window closed on Tuesday at 08:00

        Assert.Equal(ReminderRun.Sent, await RunAsync(booking));

        var sent = Assert.Single(await _db.RowsAsync("SELECT type, text, payload::text FROM messages WHERE direction = 'Outbound'"));
        Assert.Equal("template", sent[0]);
        Assert.Contains("a reminder of Haircut on Wed 6 Jan at 10:00 (booking GTS-B-101).", (string)sent[1]!);
        var payloads = JsonNode.Parse((string)sent[2]!)!["template"]!["components"]!.AsArray()
            .Where(c => c!["type"]!.GetValue<string>() == "button").Select(c => c!["parameters"]![0]!["payload"]!.GetValue<string>());
        Assert.Equal([$"c:{booking:N}", $"x:{booking:N}", $"m:{booking:N}"], payloads);
    }

    [Fact]
    public async Task A_reminder_that_cannot_go_is_passed_over_with_why_a_move_re_arms_and_a_cancel_withdraws()
    {
        var booking = await BookAsync(Karachi(6, 10));
        _api.Clock.SetUtcNow(Karachi(5, 10).ToUniversalTime()); // window closed, no template set
        var passed = Assert.IsType<ReminderRun.NotSent>(await RunAsync(booking));
        Assert.Contains("no reminder template", passed.Reason);
        Assert.Equal(0, await _db.CountAsync("messages", "direction = 'Outbound'"));
        Assert.Equal(new[] { 1440 }, await _db.ScalarAsync<int[]>("SELECT reminders_sent FROM bookings"));

        // Moved to Friday: that time's reminders are due afresh. (A day on, the owner signs in again.)
        _owner = await _api.SignInAsync("owner@gts.example", ApiFactory.Password);
        (await _owner.PostAsJsonAsync($"/api/bookings/{booking}/reschedule", new { start = Karachi(8, 11) }, Ct)).EnsureSuccessStatusCode();
        Assert.Equal(Array.Empty<int>(), await _db.ScalarAsync<int[]>("SELECT reminders_sent FROM bookings"));
        Assert.Equal((Karachi(7, 11), "Pending"), await ReminderRowAsync(booking));

        (await _owner.PostAsJsonAsync($"/api/bookings/{booking}/cancel", new { reason = "Sara is away." }, Ct)).EnsureSuccessStatusCode();
        Assert.Equal("Done", (await ReminderRowAsync(booking)).State);
        _api.Clock.SetUtcNow(Karachi(7, 11).ToUniversalTime());
        Assert.Equal(ReminderRun.NotWanted, await RunAsync(booking));
    }

    [Fact]
    public async Task Bad_reminder_settings_name_the_field_and_change_nothing()
    {
        var before = await _db.ScalarAsync<string>("SELECT reminder_minutes::text FROM booking_settings");
        await RefusedAsync(new { minutesBefore = new[] { 1 } }, "reminders.minutesBefore", "1 is not a reminder time");
        await RefusedAsync(new { minutesBefore = new[] { 60, 120, 180, 240 } }, "reminders.minutesBefore", "At most 3 reminders.");
        await RefusedAsync(new { minutesBefore = new[] { 60 }, templateName = "booking_reminder", templateParameters = new Dictionary<string, string> { ["1"] = "phone" } },
            "reminders.templateParameters.1", "\"phone\" is not a booking field");
        Assert.Equal(before, await _db.ScalarAsync<string>("SELECT reminder_minutes::text FROM booking_settings"));
        Assert.Equal("{1440,120}", before);
    }

    private async Task SaveHoursAsync(object reminders)
    {
        var day = new[] { new { from = "09:00", to = "17:00" } };
        using var saved = await _owner.PutAsJsonAsync("/api/booking/hours", new
        {
            timeZone = "Asia/Karachi", referencePrefix = "GTS", weekly = new { monday = day, tuesday = day, wednesday = day, thursday = day, friday = day }, reminders,
        }, Ct);
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync(Ct));
    }

    private async Task RefusedAsync(object reminders, string field, string message)
    {
        var day = new[] { new { from = "09:00", to = "17:00" } };
        using var response = await _owner.PutAsJsonAsync("/api/booking/hours", new { timeZone = "Asia/Karachi", weekly = new { monday = day }, reminders }, Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, problem.GetProperty("errors").GetProperty(field)[0].GetString());
    }

    private async Task<Guid> BookAsync(DateTimeOffset start) =>
        await IdAsync(await _owner.PostAsJsonAsync("/api/bookings", new { serviceId = _haircut, start, contactId = _contact }, Ct));

    /// <summary>One Worker's run of the booking's reminder row, in its own scope as the Worker runs it.</summary>
    private async Task<ReminderRun> RunAsync(Guid booking)
    {
        await using var scope = _api.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(await _db.ScalarAsync<Guid>("SELECT tenant_id FROM bookings"));
        return await scope.ServiceProvider.GetRequiredService<BookingReminders>().SendDueAsync(booking, Ct);
    }

    private async Task<(DateTimeOffset DueAt, string State)> ReminderRowAsync(Guid booking)
    {
        var row = Assert.Single(await _db.RowsAsync("SELECT due_at, state FROM work_items WHERE kind = 'BookingReminder' AND subject_id = $1", booking));
        return (new DateTimeOffset((DateTime)row[0]!, TimeSpan.Zero), (string)row[1]!);
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
