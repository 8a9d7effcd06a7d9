using Bunit;
using LeadsPeer.Core.Bookings;
using LeadsPeer.Web.Components.Pages.BookingSetup;

namespace LeadsPeer.Web.Tests.Bookings;

/// <summary>The booking set-up forms: hours and special days written as people write them, refusals under their fields, a service's staff, a staff member's own hours and feed link.</summary>
public sealed class BookingSetupComponentTests : WebComponentTest
{
    private static readonly BookingHoursView Hours = new("Asia/Karachi",
        new Dictionary<string, IReadOnlyList<HoursRange>> { ["monday"] = [new("09:00", "13:00"), new("14:00", "17:00")] },
        [new SpecialDays("2027-03-30", "2027-04-01", "Eid", [])], "GTS", 120, LateCancellation.HandOff,
        new BookingRemindersView([1440, 120], "booking_reminder", "en_US", new Dictionary<string, string> { ["1"] = "name" }), null);

    [Fact]
    public void The_hours_form_shows_the_saved_hours_as_text_and_sends_back_what_was_typed()
    {
        var saved = new List<BookingHoursInput>();
        var form = Render<BookingHoursForm>(p => p.Add(f => f.Hours, Hours).Add(f => f.OnSave, i => saved.Add(i)));

        Assert.Equal("09:00-13:00, 14:00-17:00", form.Find("input[data-testid=hours-monday]").GetAttribute("value"));
        Assert.Equal("2027-03-30..2027-04-01 | Eid | closed", form.Find("textarea[data-testid=hours-specials]").TextContent.Trim());
        Assert.Equal("1440, 120", form.Find("input[data-testid=hours-reminders]").GetAttribute("value"));

        form.Find("input[data-testid=hours-tuesday]").Change("10:00-16:00");
        form.Find("textarea[data-testid=hours-specials]").Change("2027-03-10 | Ramadan | 10:00-15:00\n2027-03-30..2027-04-01 | Eid | closed");
        form.Find("input[data-testid=hours-reminders]").Change("60, soon");
        form.Find("button[data-testid=hours-save]").Click();

        var input = Assert.Single(saved);
        Assert.Equal(["monday", "tuesday"], input.Weekly!.Keys.Order());
        Assert.Equal([new HoursRange("10:00", "16:00")], input.Weekly["tuesday"]);
        var ramadan = input.SpecialDays![0];
        Assert.Equal(("2027-03-10", "2027-03-10", "Ramadan"), (ramadan.From, ramadan.To, ramadan.Name));
        Assert.Equal([new HoursRange("10:00", "15:00")], ramadan.Hours);
        Assert.Equal(("2027-04-01", 0), (input.SpecialDays[1].To, input.SpecialDays[1].Hours.Count)); // closed
        Assert.Equal([60, -1], input.Reminders!.MinutesBefore); // "soon" goes as an impossible value: the server names it
        Assert.Equal(("booking_reminder", "name"), (input.Reminders.TemplateName, input.Reminders.TemplateParameters!["1"]));
    }

    [Fact]
    public void A_refusal_shows_under_the_day_it_names()
    {
        var errors = new Dictionary<string, string[]> { ["weekly.monday[1]"] = ["\"25:00\" is not a time of day."], ["timeZone"] = ["\"Mars\" is not a time zone."] };
        var form = Render<BookingHoursForm>(p => p.Add(f => f.Hours, Hours).Add(f => f.Errors, errors));

        Assert.Contains("\"25:00\" is not a time of day.", form.Find("[data-testid=hours-monday]").Closest(".mud-input-control")!.TextContent);
        Assert.Contains("is not a time zone", form.Markup);
        Assert.DoesNotContain("25:00", form.Find("[data-testid=hours-tuesday]").Closest(".mud-input-control")!.TextContent);
    }

    [Fact]
    public void A_service_is_sent_with_the_staff_ticked_and_a_staff_member_with_own_hours_and_days_off()
    {
        var sara = new StaffView(Guid.NewGuid(), "Sara", null, [], true);
        var omar = new StaffView(Guid.NewGuid(), "Omar", new Dictionary<string, IReadOnlyList<HoursRange>> { ["monday"] = [new("14:00", "17:00")] }, ["2027-01-08"], true);
        var services = new List<ServiceInput>();
        var service = Render<ServiceForm>(p => p.Add(f => f.Staff, [sara, omar]).Add(f => f.OnSave, s => services.Add(s)));
        service.Find("input[data-testid=service-name]").Change("Haircut");
        service.Find("input[data-testid=service-duration]").Change("45");
        service.FindAll("input[data-testid=service-staff]")[1].Change(true);
        service.Find("button[data-testid=service-save]").Click();

        var sent = Assert.Single(services);
        Assert.Equal(("Haircut", 45, 30, 1), (sent.Name, sent.DurationMinutes, sent.IntervalMinutes, sent.Capacity));
        Assert.Equal([omar.Id], sent.StaffIds);

        var members = new List<StaffInput>();
        var feeds = 0;
        var staff = Render<StaffForm>(p => p.Add(f => f.Member, omar).Add(f => f.FeedUrl, "http://localhost/calendar/abc.ics")
            .Add(f => f.OnSave, s => members.Add(s)).Add(f => f.OnIssueFeed, () => feeds++));
        Assert.Equal("14:00-17:00", staff.Find("input[data-testid=staff-monday]").GetAttribute("value"));
        Assert.Contains("http://localhost/calendar/abc.ics", staff.Find("[data-testid=staff-feed-url]").TextContent);
        staff.Find("input[data-testid=staff-days-off]").Change("2027-01-08, 2027-01-09");
        staff.Find("button[data-testid=staff-save]").Click();
        staff.Find("button[data-testid=staff-feed]").Click();

        var member = Assert.Single(members);
        Assert.Equal(["2027-01-08", "2027-01-09"], member.DaysOff);
        Assert.Equal([new HoursRange("14:00", "17:00")], member.WeeklyHours!["monday"]);
        Assert.Equal(1, feeds);
        var newcomer = Render<StaffForm>();
        Assert.Empty(newcomer.FindAll("[data-testid=staff-feed]")); // a link only once they exist
    }
}
