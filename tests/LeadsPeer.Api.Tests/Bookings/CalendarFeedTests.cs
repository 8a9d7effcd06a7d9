using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.Bookings;

/// <summary>
/// A staff member's iCalendar feed: fetched with nothing but its link, parsed as RFC 5545, the
/// service, times and reference in it but no customer unless the Owner says so (and never a
/// number), a new version of the event on a move, cancelled when cancelled, and dead once revoked.
/// </summary>
public sealed class CalendarFeedTests(TestStores stores) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private Db _db = null!;
    private HttpClient _owner = null!;
    private Guid _sara;
    private Guid _haircut;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateTimeOffset Monday(int days, int hour) => new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(7 - (int)DateTime.UtcNow.DayOfWeek + 1 + days).AddHours(hour);

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        _db = new Db(_api.DatabaseConnectionString);
        _owner = await _api.SignUpAsync("Garden Town Salon", "owner@gts.example");
        var day = new[] { new { from = "09:00", to = "17:00" } };
        (await _owner.PutAsJsonAsync("/api/booking/hours", new { timeZone = "UTC", referencePrefix = "GTS", weekly = new { monday = day, tuesday = day } }, Ct)).EnsureSuccessStatusCode();
        _sara = await IdAsync(await _owner.PostAsJsonAsync("/api/booking/staff", new { name = "Sara" }, Ct));
        _haircut = await IdAsync(await _owner.PostAsJsonAsync("/api/booking/services", new { name = "Haircut", durationMinutes = 45, staffIds = new[] { _sara } }, Ct));
    }

    [Fact]
    public async Task The_feed_parses_as_RFC_5545_carries_no_customer_until_the_owner_says_so_and_follows_moves_and_cancels()
    {
        var booking = await IdAsync(await _owner.PostAsJsonAsync("/api/bookings", new { serviceId = _haircut, start = Monday(0, 10), customerName = "Ayesha Khan", notes = "+923001234567" }, Ct));
        var link = await LinkAsync();
        Assert.Matches(@"^http://localhost/calendar/[A-Za-z0-9_-]{43}\.ics$", link);

        var (text, calendar) = await FetchAsync(link);
        var booked = Assert.Single(calendar.Events);
        Assert.Equal("Haircut (GTS-B-101)", booked.Summary);
        Assert.Equal($"{booking:N}@bookings.leadspeer", booked.Uid);
        Assert.Equal((Monday(0, 10).UtcDateTime, Monday(0, 10).AddMinutes(45).UtcDateTime), (booked.DtStart!.AsUtc, booked.DtEnd!.AsUtc));
        Assert.Equal(("CONFIRMED", 0), (booked.Status, booked.Sequence));
        Assert.Equal("Sara: bookings", calendar.Properties["X-WR-CALNAME"]?.Value);
        Assert.DoesNotContain("Ayesha", text);
        Assert.DoesNotContain("923001234567", text);

        // Moved: the same event, a new version; the Owner shows customers' names.
        (await _owner.PostAsJsonAsync($"/api/bookings/{booking}/reschedule", new { start = Monday(1, 11) }, Ct)).EnsureSuccessStatusCode();
        (await _owner.PutAsJsonAsync("/api/booking/calendar-feeds", new { showCustomers = true }, Ct)).EnsureSuccessStatusCode();
        var moved = Assert.Single((await FetchAsync(link)).Calendar.Events);
        Assert.Equal((booked.Uid, 1, Monday(1, 11).UtcDateTime), (moved.Uid, moved.Sequence, moved.DtStart!.AsUtc));
        Assert.Equal("Haircut (GTS-B-101) · Ayesha Khan", moved.Summary);

        (await _owner.PostAsJsonAsync($"/api/bookings/{booking}/cancel", new { reason = "Sara is away." }, Ct)).EnsureSuccessStatusCode();
        var cancelled = Assert.Single((await FetchAsync(link)).Calendar.Events);
        Assert.Equal(("CANCELLED", 2), (cancelled.Status, cancelled.Sequence));
    }

    [Fact]
    public async Task A_new_link_kills_the_old_one_a_revoked_link_is_404_and_only_the_owner_shows_customers()
    {
        var first = await LinkAsync();
        var second = await LinkAsync();
        using var anonymous = _api.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(first, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(second, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _owner.DeleteAsync($"/api/booking/staff/{_sara}/calendar-feed", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(second, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/calendar/not-a-token.ics", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _owner.PostAsync($"/api/booking/staff/{Guid.NewGuid()}/calendar-feed", null, Ct)).StatusCode);
        Assert.Equal(0, await _db.CountAsync("booking_staff", "feed_token_hash IS NOT NULL"));

        // An Admin sets bookings up but does not send customers' names to calendar providers.
        (await _owner.PostAsJsonAsync("/api/team/invitations", new { email = "admin@gts.example", role = "Admin" }, Ct)).EnsureSuccessStatusCode();
        (await anonymous.PostAsJsonAsync($"/api/team/invitations/{_api.InvitationTokenSentTo("admin@gts.example")}/accept",
            new { name = "Adnan", password = ApiFactory.Password }, Ct)).EnsureSuccessStatusCode();
        using var admin = await _api.SignInAsync("admin@gts.example", ApiFactory.Password);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/booking/staff/{_sara}/calendar-feed", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PutAsJsonAsync("/api/booking/calendar-feeds", new { showCustomers = true }, Ct)).StatusCode);
        Assert.False((await admin.GetFromJsonAsync<JsonElement>("/api/booking/calendar-feeds", Ct)).GetProperty("showCustomers").GetBoolean());
    }

    [Fact]
    public async Task Another_organisation_s_switch_and_feed_reach_nothing_of_this_one()
    {
        (await _owner.PostAsJsonAsync("/api/bookings", new { serviceId = _haircut, start = Monday(0, 10), customerName = "Ayesha Khan" }, Ct)).EnsureSuccessStatusCode();
        var ours = await LinkAsync();
        using var rival = await _api.SignUpAsync("Rival Cuts", "owner@rival.example");
        var day = new[] { new { from = "09:00", to = "17:00" } };
        (await rival.PutAsJsonAsync("/api/booking/hours", new { timeZone = "UTC", weekly = new { monday = day } }, Ct)).EnsureSuccessStatusCode();
        var rory = await IdAsync(await rival.PostAsJsonAsync("/api/booking/staff", new { name = "Rory" }, Ct));
        var trim = await IdAsync(await rival.PostAsJsonAsync("/api/booking/services", new { name = "Trim", durationMinutes = 30, staffIds = new[] { rory } }, Ct));
        (await rival.PostAsJsonAsync("/api/bookings", new { serviceId = trim, start = Monday(0, 10), customerName = "Zed Rival" }, Ct)).EnsureSuccessStatusCode();
        using var issued = await rival.PostAsync($"/api/booking/staff/{rory}/calendar-feed", null, Ct);
        var theirs = (await issued.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("url").GetString()!;

        (await rival.PutAsJsonAsync("/api/booking/calendar-feeds", new { showCustomers = true }, Ct)).EnsureSuccessStatusCode();

        Assert.False((await _owner.GetFromJsonAsync<JsonElement>("/api/booking/calendar-feeds", Ct)).GetProperty("showCustomers").GetBoolean());
        Assert.True((await rival.GetFromJsonAsync<JsonElement>("/api/booking/calendar-feeds", Ct)).GetProperty("showCustomers").GetBoolean());
        var (ourText, ourCalendar) = await FetchAsync(ours);
        var (theirText, theirCalendar) = await FetchAsync(theirs);
        Assert.Equal("Haircut (GTS-B-101)", Assert.Single(ourCalendar.Events).Summary); // their switch shows no name here
        Assert.DoesNotContain("Zed", ourText);
        Assert.Equal("Trim (BK-B-101) · Zed Rival", Assert.Single(theirCalendar.Events).Summary);
        Assert.DoesNotContain("GTS-B-101", theirText);
        Assert.DoesNotContain("Ayesha", theirText);
    }

    private async Task<string> LinkAsync()
    {
        using var issued = await _owner.PostAsync($"/api/booking/staff/{_sara}/calendar-feed", null, Ct);
        var body = await issued.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        Assert.EndsWith(body.GetProperty("path").GetString()!, body.GetProperty("url").GetString());
        return body.GetProperty("url").GetString()!;
    }

    /// <summary>Fetched as a calendar server does: no sign-in, only the link.</summary>
    private async Task<(string Text, Ical.Net.Calendar Calendar)> FetchAsync(string link)
    {
        using var anonymous = _api.CreateClient();
        using var response = await anonymous.GetAsync(link, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.StartsWith("BEGIN:VCALENDAR\r\n", text);
        return (text, Ical.Net.Calendar.Load(text)!);
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
