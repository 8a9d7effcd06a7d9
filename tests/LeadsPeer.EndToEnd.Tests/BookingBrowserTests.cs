using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using LeadsPeer.ServiceDefaults;
using LeadsPeer.Testing;
using Microsoft.Playwright;
using static LeadsPeer.EndToEnd.Tests.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace LeadsPeer.EndToEnd.Tests;

/// <summary>Booking in a real browser against the whole product: the customer's phone books, the Calendar shows it live, the team moves it and the phone is told; a staff member's calendar link from the set-up page serves the booking.</summary>
[Collection(ProductCollection.Name)]
public sealed class BookingBrowserTests(ProductFixture product)
{
    static BookingBrowserTests() => SetDefaultExpectTimeout(20_000);

    private const string Password = "correct horse battery staple";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_sandbox_customer_books_by_tapping_the_booking_appears_live_on_the_calendar_and_a_move_or_a_drag_there_reaches_the_phone()
    {
        var web = product.App.GetEndpoint(ResourceNames.Web, "http");
        var email = $"owner-{Guid.NewGuid():N}@salon.example";
        using var api = product.App.CreateHttpClient(ResourceNames.Api);
        (await api.PostAsJsonAsync("/api/onboarding/signup", new { organizationName = "Tap Salon", name = "Tara", email, password = Password }, Ct)).EnsureSuccessStatusCode();
        using var login = await api.PostAsJsonAsync("/api/auth/login", new { email, password = Password }, Ct);
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await login.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString());
        (await api.PostAsync("/api/whatsapp/connections/sandbox", null, Ct)).EnsureSuccessStatusCode();
        // Open on one day only, the day after tomorrow (UTC), 10:00 to 12:00: the lists are the same whenever the test runs.
        var day = DateTime.UtcNow.Date.AddDays(2);
        var date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        (await api.PutAsJsonAsync("/api/booking/hours", new
        {
            timeZone = "UTC", referencePrefix = "TS", specialDays = new[] { new { from = date, to = date, name = "Open day", hours = new[] { new { from = "10:00", to = "12:00" } } } },
        }, Ct)).EnsureSuccessStatusCode();
        using var staff = await api.PostAsJsonAsync("/api/booking/staff", new { name = "Sara" }, Ct);
        var sara = (await staff.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        (await api.PostAsJsonAsync("/api/booking/services", new { name = "Haircut", durationMinutes = 30, staffIds = new[] { sara } }, Ct)).EnsureSuccessStatusCode();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browsers.LaunchChromiumAsync(playwright);
        var session = await browser.NewContextAsync();
        var calendar = await session.NewPageAsync();
        await calendar.GotoAsync(new Uri(web, "calendar").ToString());
        await calendar.GetByLabel("Email").FillAsync(email);
        await calendar.GetByLabel("Password").FillAsync(Password);
        await calendar.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await InteractiveAsync(calendar);
        await calendar.GetByTestId("calendar-next").ClickAsync();
        await Expect(calendar.GetByTestId("calendar-range")).ToHaveTextAsync(day.AddDays(-1).ToString("ddd d MMM", CultureInfo.InvariantCulture));
        await calendar.GetByTestId("calendar-next").ClickAsync();
        var label = day.ToString("ddd d MMM", CultureInfo.InvariantCulture);
        await Expect(calendar.GetByTestId("calendar-range")).ToHaveTextAsync(label);
        await Expect(calendar.GetByTestId("calendar-open")).ToHaveCountAsync(1); // Sara's two working hours
        await Expect(calendar.GetByTestId("calendar-block")).ToHaveCountAsync(0);

        // The customer books on the phone: one service, so straight to the days.
        var phone = await session.NewPageAsync();
        await phone.GotoAsync(new Uri(web, "whatsapp").ToString());
        await InteractiveAsync(phone);
        await SendAsCustomerAsync(phone, "Hi, I'd like to book an appointment");
        await Tap(phone, "Days", list: true);
        await Tap(phone, label);
        await Tap(phone, "Times", list: true);
        await Tap(phone, "10:30");
        await Expect(BusinessMessage(phone, "Please check your booking")).ToContainTextAsync($"{label} at 10:30 (30 minutes)", new() { Timeout = 30_000 });
        await Tap(phone, "Confirm");
        await Expect(BusinessMessage(phone, "You're booked!")).ToContainTextAsync("TS-B-101", new() { Timeout = 30_000 });

        // On the Calendar without a reload; the team moves it to 11:00 and the phone hears of it.
        var block = calendar.Locator("[data-testid=calendar-block][data-reference=TS-B-101]");
        await Expect(block).ToContainTextAsync("10:30 Haircut");
        await block.ClickAsync();
        await Expect(calendar.GetByTestId("booking-what")).ToContainTextAsync($"Haircut with Sara · {date} 10:30");
        await calendar.GetByTestId("reschedule-time").FillAsync("11:00");
        await calendar.GetByTestId("reschedule-time").PressAsync("Tab");
        await calendar.GetByTestId("booking-reschedule").ClickAsync();
        await Expect(block).ToContainTextAsync("11:00 Haircut");
        await Expect(BusinessMessage(phone, "Your booking TS-B-101 (Haircut with Sara) has moved to")).ToContainTextAsync($"{label} at 11:00", new() { Timeout = 30_000 });

        // Dragged to 11:30 on the grid: the same move, and the phone hears of it too.
        await block.DragToAsync(calendar.Locator($"[data-testid=calendar-drop][data-staff='{sara}'][data-time='11:30']"));
        await Expect(block).ToContainTextAsync("11:30 Haircut");
        await Expect(BusinessMessage(phone, $"has moved to {label} at 11:30")).ToHaveCountAsync(1, new() { Timeout = 30_000 });

        // Sara's calendar link, made on the set-up page and fetched as a calendar server would: no sign-in, only the link.
        var setup = await session.NewPageAsync();
        await setup.GotoAsync(new Uri(web, "booking-setup").ToString());
        await InteractiveAsync(setup);
        await setup.GetByTestId("staff-row").Filter(new() { HasText = "Sara" }).ClickAsync();
        await setup.GetByTestId("staff-feed").ClickAsync();
        var link = (await setup.GetByTestId("staff-feed-url").Locator("code").TextContentAsync())!.Trim();
        Assert.StartsWith(new Uri(web, "calendar/").ToString(), link);
        using var calendarServer = new HttpClient();
        var feed = await calendarServer.GetStringAsync(link, Ct);
        Assert.Contains("BEGIN:VEVENT", feed);
        Assert.Contains("SUMMARY:Haircut (TS-B-101)", feed);
        await Expect(calendar.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        await Expect(phone.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        await Expect(setup.Locator("#blazor-error-ui")).ToBeHiddenAsync();
    }
}
