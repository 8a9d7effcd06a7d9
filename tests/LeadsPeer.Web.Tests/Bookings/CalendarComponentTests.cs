using Bunit;
using LeadsPeer.Core.Bookings;
using LeadsPeer.Web.Components.Pages.Calendar;
using LeadsPeer.Web.Components.Pages.Conversations;

namespace LeadsPeer.Web.Tests.Bookings;

/// <summary>The Calendar's parts: blocks placed by minute over the working hours, a booking's moves, a new booking from the free times, the customer's bookings beside the conversation.</summary>
public sealed class CalendarComponentTests : WebComponentTest
{
    private static readonly Guid Sara = Guid.NewGuid();
    private static readonly Guid Omar = Guid.NewGuid();

    private static BookingView Booking(BookingStatus status = BookingStatus.Confirmed, string? notNotified = null, DateTimeOffset? confirmed = null) => new(
        Guid.NewGuid(), "GTS-B-101", Guid.NewGuid(), "Haircut", Sara, "Sara", new DateTimeOffset(2027, 1, 5, 5, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 1, 5, 5, 45, 0, TimeSpan.Zero),
        "2027-01-05T10:00", status, Guid.NewGuid(), Guid.NewGuid(), "Ayesha", null, BookedBy.Customer, null, null,
        [new BookingMove(new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.Zero), Sara, DateTimeOffset.UtcNow, BookedBy.Customer)], notNotified, [1440], confirmed, DateTimeOffset.UtcNow);

    [Fact]
    public void The_grid_places_each_booking_by_its_minutes_over_the_working_hours_and_opens_it_on_a_tap()
    {
        var opened = new List<Guid>();
        var block = new CalendarBlock(Guid.NewGuid(), "GTS-B-101", "Haircut", "Ayesha", 10 * 60 + 30, 11 * 60 + 15, BookingStatus.Confirmed, CustomerConfirmed: true, "2027-01-05T10:30");
        var grid = Render<CalendarGrid>(p => p
            .Add(g => g.Columns, [
                new CalendarColumn(Sara, "Sara", "2027-01-05", "Tue 5 Jan", [new DayRange(9 * 60, 13 * 60), new DayRange(14 * 60, 17 * 60)], null, [block]),
                new CalendarColumn(Omar, "Omar", "2027-01-05", "Tue 5 Jan", [], "Omar does not work on Tue 5 Jan.", []),
            ])
            .Add(g => g.FirstMinute, 9 * 60).Add(g => g.LastMinute, 17 * 60)
            .Add(g => g.OnSelect, id => opened.Add(id)));

        Assert.Equal(["Sara", "Omar"], grid.FindAll("[data-testid=calendar-column] .mud-typography-subtitle2").Select(t => t.TextContent));
        var placed = grid.Find("[data-testid=calendar-block]");
        Assert.Contains("top: 72px; height: 36px", placed.GetAttribute("style")); // 90 and 45 minutes at 0.8 px a minute
        Assert.Contains("10:30 Haircut", placed.TextContent);
        Assert.Contains("Ayesha · GTS-B-101 ✓", placed.TextContent);
        Assert.Equal(["top: 0px; height: 192px", "top: 240px; height: 144px"], grid.FindAll("[data-testid=calendar-open]").Select(o => o.GetAttribute("style")));
        Assert.Equal("Omar does not work on Tue 5 Jan.", grid.Find("[data-testid=calendar-closed]").TextContent);
        Assert.Equal(8, grid.FindAll(".lp-calendar-hour").Count);

        placed.Click();
        Assert.Equal([block.Id], opened);
    }

    [Fact]
    public void A_booking_dragged_to_another_quarter_hour_or_person_is_a_move_and_one_done_or_put_back_is_not()
    {
        var drops = new List<CalendarDrop>();
        var ahead = new CalendarBlock(Guid.NewGuid(), "GTS-B-101", "Haircut", "Ayesha", 10 * 60, 10 * 60 + 45, BookingStatus.Confirmed, CustomerConfirmed: false, "2027-01-05T10:00");
        var done = new CalendarBlock(Guid.NewGuid(), "GTS-B-102", "Beard trim", "Bilal", 9 * 60, 9 * 60 + 30, BookingStatus.Completed, CustomerConfirmed: false, "2027-01-05T09:00");
        var grid = Render<CalendarGrid>(p => p
            .Add(g => g.Columns, [
                new CalendarColumn(Sara, "Sara", "2027-01-05", "Tue 5 Jan", [new DayRange(9 * 60, 17 * 60)], null, [ahead, done]),
                new CalendarColumn(Omar, "Omar", "2027-01-05", "Tue 5 Jan", [new DayRange(9 * 60, 17 * 60)], null, []),
            ])
            .Add(g => g.FirstMinute, 9 * 60).Add(g => g.LastMinute, 17 * 60)
            .Add(g => g.OnDrop, d => drops.Add(d)));
        AngleSharp.Dom.IElement Slot(Guid staff, string time) => grid.Find($"[data-testid=calendar-drop][data-staff='{staff}'][data-time='{time}']");

        // A quarter hour a target, each day: 8 hours of 4.
        Assert.Equal(2 * 8 * 4, grid.FindAll("[data-testid=calendar-drop]").Count);
        Assert.DoesNotContain("lp-dragging", grid.Find("[data-testid=calendar-grid]").ClassList);
        var blocks = grid.FindAll("[data-testid=calendar-block]");
        Assert.Equal(["true", "false"], blocks.Select(b => b.GetAttribute("draggable")));

        blocks[0].DragStart();
        Assert.Contains("lp-dragging", grid.Find("[data-testid=calendar-grid]").ClassList); // the targets lie over the blocks now
        Slot(Omar, "11:15").Drop();
        Assert.Equal([new CalendarDrop(ahead.Id, "GTS-B-101", "2027-01-05", "11:15", Omar)], drops);
        Assert.DoesNotContain("lp-dragging", grid.Find("[data-testid=calendar-grid]").ClassList);

        // Put back where it was, or a drop with nothing dragged (a completed booking does not drag): no move.
        grid.FindAll("[data-testid=calendar-block]")[0].DragStart();
        Slot(Sara, "10:00").Drop();
        grid.FindAll("[data-testid=calendar-block]")[1].DragStart();
        Slot(Sara, "12:00").Drop();
        Assert.Single(drops);
    }

    [Fact]
    public void A_booking_offers_a_move_and_a_cancel_that_waits_for_its_reason_and_says_what_the_customer_was_not_told()
    {
        var moves = new List<(string?, string?, Guid?)>();
        var cancels = new List<string>();
        var panel = Render<BookingPanel>(p => p.Add(b => b.Booking, Booking(notNotified: "The 24-hour window is closed.", confirmed: DateTimeOffset.UtcNow))
            .Add(b => b.Staff, [new CalendarStaff(Sara, "Sara"), new CalendarStaff(Omar, "Omar")]).Add(b => b.TimeZone, "Asia/Karachi")
            .Add(b => b.OnReschedule, m => moves.Add(m)).Add(b => b.OnCancel, r => cancels.Add(r)));

        Assert.Equal("Haircut with Sara · 2027-01-05 10:00", panel.Find("[data-testid=booking-what]").TextContent.Trim());
        Assert.Contains("The 24-hour window is closed.", panel.Find("[data-testid=booking-not-notified]").TextContent);
        Assert.Contains("Was Mon 4 Jan at 14:00 (moved by the customer)", panel.Find("[data-testid=booking-move]").TextContent); // in Karachi's time
        Assert.Contains("1 day before", panel.Find("[data-testid=booking-reminders]").TextContent);
        Assert.NotEmpty(panel.FindAll("[data-testid=booking-confirmed]"));
        Assert.Empty(panel.FindAll("[data-testid=booking-complete]")); // not started yet

        panel.Find("input[data-testid=reschedule-time]").Change("11:30");
        panel.Find("button[data-testid=booking-reschedule]").Click();
        Assert.Equal([("2027-01-05", "11:30", (Guid?)Sara)], moves);

        Assert.True(panel.Find("button[data-testid=booking-cancel]").HasAttribute("disabled"));
        panel.Find("input[data-testid=booking-cancel-reason]").Input("Sara is ill.");
        panel.Find("button[data-testid=booking-cancel]").Click();
        Assert.Equal(["Sara is ill."], cancels);

        var done = Render<BookingPanel>(p => p.Add(b => b.Booking, Booking(BookingStatus.Completed)));
        Assert.Empty(done.FindAll("[data-testid=booking-reschedule], [data-testid=booking-cancel]"));
    }

    [Fact]
    public async Task A_new_booking_looks_up_the_day_s_free_times_and_books_the_one_tapped_for_a_walk_in()
    {
        var lookups = new List<(Guid, string?)>();
        var drafts = new List<TeamBookingDraft>();
        var haircut = new ServiceView(Guid.NewGuid(), "Haircut", null, 45, 30, 15, 30, 60, 1, 1500m, "PKR", [Sara], true);
        var form = Render<NewBookingForm>(p => p.Add(f => f.Services, [haircut]).Add(f => f.Staff, [new CalendarStaff(Sara, "Sara"), new CalendarStaff(Omar, "Omar")])
            .Add(f => f.Date, "2027-01-05").Add(f => f.OnLookup, l => lookups.Add(l)).Add(f => f.OnBook, d => drafts.Add(d)));
        Assert.True(form.Find("button[data-testid=new-booking-save]").HasAttribute("disabled"));

        var service = form.FindComponent<MudBlazor.MudSelect<Guid?>>();
        await form.InvokeAsync(() => service.Instance.ValueChanged.InvokeAsync(haircut.Id));
        Assert.Equal([(haircut.Id, (string?)"2027-01-05")], lookups);
        form.Render(p => p.Add(f => f.Slots, [
            new SlotView(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "2027-01-05T09:00", [Sara]),
            new SlotView(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "2027-01-05T09:30", [Sara])]));
        Assert.Equal(["09:00", "09:30"], form.FindAll("[data-testid=new-booking-slots] .mud-chip").Select(c => c.TextContent.Trim()));
        form.FindAll("[data-testid=new-booking-slots] .mud-chip")[1].Click();
        form.Find("input[data-testid=new-booking-name]").Change("Walk-in Zara");
        form.Find("button[data-testid=new-booking-save]").Click();

        var draft = Assert.Single(drafts);
        Assert.Equal((haircut.Id, "2027-01-05", "09:30", (Guid?)null, "Walk-in Zara"), (draft.ServiceId, draft.Date, draft.Time, draft.ContactId, draft.CustomerName));
    }

    [Fact]
    public void The_conversation_lists_the_customer_s_bookings_and_nothing_when_there_are_none()
    {
        var panel = Render<CustomerBookings>(p => p.Add(c => c.Bookings, [Booking(confirmed: DateTimeOffset.UtcNow)]));
        var nothing = Render<CustomerBookings>(p => p.Add(c => c.Bookings, []));

        Assert.Contains("GTS-B-101 · Haircut with Sara · 2027-01-05 10:00 · confirmed · confirmed by the customer", panel.Find("[data-testid=customer-booking]").TextContent);
        Assert.Empty(nothing.Markup.Trim());
    }
}
