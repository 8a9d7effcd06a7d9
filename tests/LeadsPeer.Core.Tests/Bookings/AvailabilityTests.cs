using LeadsPeer.Core.Bookings;
using NodaTime;

namespace LeadsPeer.Core.Tests.Bookings;

/// <summary>
/// Free times from the hours, special days, staff hours, bookings, buffers, notice and horizon;
/// every time that is not offered says why (the same rule set decides both).
/// </summary>
public sealed class AvailabilityTests
{
    // Monday 4 January 2027 in Karachi (UTC+5 all year).
    private static readonly LocalDate Monday = new(2027, 1, 4);
    private static readonly DateTimeZone Karachi = DateTimeZoneProviders.Tzdb["Asia/Karachi"];
    private static readonly StaffMember Sara = new() { Name = "Sara" };
    private static readonly StaffMember Omar = new() { Name = "Omar", WeeklyHours = """{"monday": [{"from": "14:00", "to": "17:00"}]}""" };

    private static BookableService Haircut(int capacity = 1) => new()
    {
        Name = "Haircut", DurationMinutes = 45, IntervalMinutes = 30, BufferAfterMinutes = 15, HorizonDays = 7, MinimumNoticeMinutes = 60,
        Capacity = capacity, StaffIds = [Sara.Id, Omar.Id],
    };

    private static BookingCalendar Calendar(string zone = "Asia/Karachi", string specials = "[]", string week = """
        {"monday": [{"from": "09:00", "to": "13:00"}, {"from": "14:00", "to": "17:00"}], "tuesday": [{"from": "09:00", "to": "17:00"}]}
        """) =>
        BookingCalendar.Of(new BookingSettings { TimeZone = zone, WeeklyHours = week, SpecialDays = specials });

    private static Instant At(LocalDate date, int hour, int minute = 0, DateTimeZone? zone = null) =>
        date.At(new LocalTime(hour, minute)).InZoneStrictly(zone ?? Karachi).ToInstant();

    private static Availability Free(BookingCalendar? calendar = null, Instant? now = null, params BusyTime[] busy) =>
        new(calendar ?? Calendar(), busy, now ?? At(Monday, 7));

    private static IEnumerable<string> Clocks(IEnumerable<Slot> slots) => slots.Select(s => s.Local.TimeOfDay.ToString("HH:mm", null));

    [Fact]
    public void Starts_fall_on_the_grid_of_each_opening_range_and_a_service_must_end_inside_it()
    {
        var slots = Free().Slots(Haircut(), [Sara], Monday, Monday);

        Assert.Equal(["09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "12:00", "14:00", "14:30", "15:00", "15:30", "16:00"], Clocks(slots));
        Assert.Equal(At(Monday, 9), slots[0].Start);
        Assert.Equal(At(Monday, 9, 45), slots[0].End);
        Assert.Contains("12:30–13:15 is outside the opening hours (09:00–13:00, 14:00–17:00)", Free().WhyNot(Haircut(), Sara, At(Monday, 12, 30), SlotRules.Customer)!.Why);
        Assert.Equal("Closed on Wednesdays.", Free().WhyNot(Haircut(), Sara, At(Monday.PlusDays(2), 10), SlotRules.Customer)!.Why);
    }

    [Fact]
    public void A_booking_and_its_buffer_block_the_staff_member_and_the_new_services_buffer_counts_too()
    {
        var busy = new BusyTime(Guid.NewGuid(), Sara.Id, null, At(Monday, 10), At(Monday, 11), "GTB-B-311");
        var free = Free(busy: busy);

        var slots = free.Slots(Haircut(), [Sara], Monday, Monday);

        Assert.Equal(["09:00", "11:00", "11:30", "12:00"], Clocks(slots).Take(4)); // 09:30 would keep Sara busy until 10:30
        var why = free.WhyNot(Haircut(), Sara, At(Monday, 9, 30), SlotRules.Customer)!;
        Assert.True(why.Taken);
        Assert.Equal("Sara is busy then (booking GTB-B-311).", why.Why);
        Assert.Null(free.WhyNot(Haircut(), Sara, At(Monday, 9, 30), SlotRules.Customer, ignoreBooking: busy.BookingId)); // the booking being moved
    }

    [Fact]
    public void Notice_horizon_and_the_past_apply_to_customers_and_the_team_may_book_off_the_grid_or_at_short_notice()
    {
        var free = Free(now: At(Monday, 8, 30));

        Assert.Equal("09:30", Clocks(free.Slots(Haircut(), [Sara], Monday, Monday)).First());
        Assert.Equal("Haircut is booked at least 1 hour ahead.", free.WhyNot(Haircut(), Sara, At(Monday, 9), SlotRules.Customer)!.Why);
        Assert.Null(free.WhyNot(Haircut(), Sara, At(Monday, 9), SlotRules.Team));
        Assert.Equal("Haircut starts every 30 minutes from 09:00.", free.WhyNot(Haircut(), Sara, At(Monday, 10, 10), SlotRules.Customer)!.Why);
        Assert.Null(free.WhyNot(Haircut(), Sara, At(Monday, 9, 10), SlotRules.Team));
        Assert.Equal("That time has passed.", free.WhyNot(Haircut(), Sara, At(Monday, 8), SlotRules.Team)!.Why);
        Assert.Equal("Haircut is booked at most 7 days ahead.", free.WhyNot(Haircut(), Sara, At(Monday.PlusDays(8), 10), SlotRules.Customer)!.Why);
        Assert.Empty(free.Slots(Haircut(), [Sara], Monday.PlusDays(8), Monday.PlusDays(8)));
        Assert.NotEmpty(free.Slots(Haircut(), [Sara], Monday.PlusDays(7), Monday.PlusDays(7))); // a Monday, the seventh day
    }

    [Fact]
    public void Special_days_close_or_shorten_the_day_and_staff_work_their_own_hours_and_days_off()
    {
        var calendar = Calendar(specials: """
            [{"from": "2027-01-04", "to": "2027-01-04", "name": "Kashmir Day", "hours": []},
             {"from": "2027-01-05", "to": "2027-01-12", "name": "Ramadan", "hours": [{"from": "10:00", "to": "12:00"}]}]
            """);
        var free = Free(calendar);
        var away = new StaffMember { Name = "Sara", DaysOff = [new DateOnly(2027, 1, 5)] };
        var haircut = Haircut();
        haircut.StaffIds.Add(away.Id);

        Assert.Empty(free.Slots(haircut, [Sara], Monday, Monday));
        Assert.Equal("Closed on 2027-01-04 (Kashmir Day).", free.WhyNot(haircut, Sara, At(Monday, 10), SlotRules.Customer)!.Why);
        Assert.Equal(["10:00", "10:30", "11:00"], Clocks(free.Slots(haircut, [Sara], Monday.PlusDays(1), Monday.PlusDays(1))));
        Assert.Equal("Sara does not work on 2027-01-05.", free.WhyNot(haircut, away, At(Monday.PlusDays(1), 10), SlotRules.Customer)!.Why);
        Assert.Empty(Free().Slots(haircut, [Omar], Monday.PlusDays(1), Monday.PlusDays(1))); // Omar works Monday afternoons only
        Assert.Equal(["14:00", "14:30", "15:00", "15:30", "16:00"], Clocks(Free().Slots(haircut, [Omar], Monday, Monday)));
        Assert.Contains("outside Omar's hours (14:00–17:00)", Free().WhyNot(haircut, Omar, At(Monday, 10), SlotRules.Customer)!.Why);
    }

    [Fact]
    public void Two_staff_free_at_once_share_one_slot_and_someone_who_does_not_do_the_service_is_not_offered()
    {
        var slots = Free().Slots(Haircut(), [Sara, Omar, new StaffMember { Name = "Zain" }], Monday, Monday);

        Assert.Equal([Omar.Id, Sara.Id], slots.Single(s => s.Start == At(Monday, 14)).StaffIds); // by name
        Assert.Equal([Sara.Id], slots.Single(s => s.Start == At(Monday, 9)).StaffIds);
        Assert.Equal("Zain does not do Haircut.", Free().WhyNot(Haircut(), new StaffMember { Name = "Zain" }, At(Monday, 9), SlotRules.Team)!.Why);
    }

    [Fact]
    public void A_shared_start_takes_bookings_up_to_its_capacity_and_another_service_blocks_it()
    {
        var tasting = Haircut(capacity: 3);
        var first = new BusyTime(Guid.NewGuid(), Sara.Id, tasting.Id, At(Monday, 10), At(Monday, 11), "GTB-B-1");
        var second = first with { BookingId = Guid.NewGuid(), Reference = "GTB-B-2" };

        Assert.Null(Free(busy: [first, second]).WhyNot(tasting, Sara, At(Monday, 10), SlotRules.Customer));
        Assert.Equal("All 3 places are taken.", Free(busy: [first, second, second with { BookingId = Guid.NewGuid() }]).WhyNot(tasting, Sara, At(Monday, 10), SlotRules.Customer)!.Why);
        Assert.Equal("Sara is busy then (booking GTB-B-1).", Free(busy: first).WhyNot(tasting, Sara, At(Monday, 10, 30), SlotRules.Customer)!.Why);
        Assert.Equal("Sara is busy then (booking GTB-B-1).", Free(busy: first).WhyNot(Haircut(), Sara, At(Monday, 10), SlotRules.Customer)!.Why);
    }

    [Fact]
    public void Across_daylight_saving_the_same_local_hours_move_in_UTC_a_skipped_hour_is_not_offered_and_a_repeated_one_once()
    {
        var london = DateTimeZoneProviders.Tzdb["Europe/London"];
        var night = """{"saturday": [{"from": "09:00", "to": "10:00"}], "sunday": [{"from": "00:00", "to": "03:00"}], "monday": [{"from": "09:00", "to": "10:00"}]}""";
        var calendar = Calendar("Europe/London", week: night);
        var service = new BookableService { Name = "Call", DurationMinutes = 30, IntervalMinutes = 30, HorizonDays = 365, StaffIds = [Sara.Id] };
        var free = new Availability(calendar, [], Instant.FromUtc(2027, 3, 1, 0, 0));

        var saturday = free.Slots(service, [Sara], new LocalDate(2027, 3, 27), new LocalDate(2027, 3, 27));
        var spring = free.Slots(service, [Sara], new LocalDate(2027, 3, 28), new LocalDate(2027, 3, 28));
        var monday = free.Slots(service, [Sara], new LocalDate(2027, 3, 29), new LocalDate(2027, 3, 29));
        var autumn = free.Slots(service, [Sara], new LocalDate(2027, 10, 31), new LocalDate(2027, 10, 31));

        Assert.Equal(Instant.FromUtc(2027, 3, 27, 9, 0), saturday[0].Start); // GMT
        Assert.Equal(Instant.FromUtc(2027, 3, 29, 8, 0), monday[0].Start); // 09:00 BST
        Assert.Equal(["00:00", "00:30", "02:00", "02:30"], Clocks(spring)); // 01:00–02:00 does not happen
        Assert.Equal(["00:00", "00:30", "01:00", "01:30", "02:00", "02:30"], Clocks(autumn));
        Assert.Equal(Instant.FromUtc(2027, 10, 31, 0, 0), autumn[2].Start); // 01:00 BST, the first of the two
        Assert.Equal(6, autumn.Select(s => s.Start).Distinct().Count());
        Assert.Equal(london, free.Zone);
    }

    [Fact]
    public void A_service_that_would_run_past_midnight_is_refused()
    {
        var allDay = Calendar(week: """{"monday": [{"from": "00:00", "to": "24:00"}]}""");
        var long_ = new BookableService { Name = "Colour", DurationMinutes = 240, IntervalMinutes = 60, HorizonDays = 30, StaffIds = [Sara.Id] };

        Assert.Equal("20:00", Clocks(Free(allDay).Slots(long_, [Sara], Monday, Monday)).Last());
        Assert.Equal("Colour would run past the end of the day.", Free(allDay).WhyNot(long_, Sara, At(Monday, 22), SlotRules.Team)!.Why);
    }
}
