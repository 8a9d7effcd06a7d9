using System.Globalization;
using LeadsPeer.Core.Bookings;
using LeadsPeer.Core.Flows;
using LeadsPeer.Testing;
using LeadsPeer.Worker.Tests.Channel;
using LeadsPeer.Worker.Tests.Orders;
using static LeadsPeer.Worker.Tests.Orders.OrderingCustomer;

namespace LeadsPeer.Worker.Tests.Bookings;

/// <summary>
/// Booking on WhatsApp through the Worker process and the Graph stub: the customer picks a
/// service, a day, a time and who, sees the summary in the business's zone, and confirms. A time
/// someone else took in between is told and the day's free times shown again; a second Confirm
/// finds the same booking.
/// </summary>
public sealed class BookingFlowTests(TestStores stores)
{
    [Fact]
    public async Task A_customer_books_by_taps_a_time_taken_meanwhile_is_told_with_the_free_times_and_a_second_confirm_books_nothing_more()
    {
        await using var channel = await ChannelHarness.CreateAsync(stores);
        var (haircut, sara, omar) = await SeedSalonAsync(channel);
        await channel.StartWorkerAsync();
        var phone = new OrderingCustomer(channel);

        var services = await phone.SayAsync("Hi, I'd like to book an appointment");
        Assert.Equal(["Beard trim", "Haircut"], Choices(services).Select(c => c.Title));
        var days = await phone.TapAsync(services, $"s:{haircut:N}");
        Assert.StartsWith("Haircut: which day suits you?", Body(days));
        var times = await phone.TapAsync(days, "d:");
        Assert.Contains("(times are Asia/Karachi time)", Body(times));
        var first = Choices(times).First(c => c.Id.StartsWith("t:", StringComparison.Ordinal));
        var start = DateTimeOffset.FromUnixTimeSeconds(long.Parse(first.Id[2..], CultureInfo.InvariantCulture));
        Assert.Equal(start.ToOffset(TimeSpan.FromHours(5)).ToString("HH:mm", CultureInfo.InvariantCulture), first.Title); // shown in Karachi's time
        var who = await phone.TapAsync(times, first.Id);
        Assert.Equal(["Whoever is free", "Omar", "Sara"], Choices(who).Select(c => c.Title));
        var summary = await phone.TapAsync(who, $"st:{sara:N}");
        Assert.Contains("Haircut with Sara", Body(summary));
        Assert.Contains(BookingUpdates.When(start, NodaTime.DateTimeZoneProviders.Tzdb["Asia/Karachi"]) + " (1 hour)", Body(summary));
        Assert.Contains("PKR 1,500.00", Body(summary));

        // Someone else takes Sara at that time before the customer confirms.
        await channel.Db.ExecuteAsync("""
            INSERT INTO bookings (id, tenant_id, reference, service_id, service_name, staff_id, staff_name, start_at, end_at, blocked_until, exclusive, status, customer_name, booked_by, created_at, updated_at)
            VALUES (gen_random_uuid(), $1, 'BK-B-1', $2, 'Haircut', $3, 'Sara', $4, $4 + interval '1 hour', $4 + interval '1 hour', true, 'Confirmed', 'Walk-in', 'Team', now(), now())
            """, channel.TenantId, haircut, sara, start.UtcDateTime);
        var taken = await phone.TapAsync(summary, "ok:");
        Assert.StartsWith($"Sorry, {BookingUpdates.When(start, NodaTime.DateTimeZoneProviders.Tzdb["Asia/Karachi"])} was just taken.", Body(taken));
        var again = Choices(taken).First(c => c.Id == first.Id); // Omar is still free then
        var summaryWithOmar = await phone.TapAsync(taken, again.Id);
        Assert.Contains("Haircut with Omar", Body(summaryWithOmar)); // the only one free: not asked

        var booked = await phone.TapAsync(summaryWithOmar, "ok:");
        Assert.StartsWith("You're booked! Your reference is *BK-B-101*: Haircut with Omar on ", Body(booked));
        Assert.Equal(["Omar", "Customer", "Confirmed"], (await channel.Db.RowsAsync(
            "SELECT staff_name, booked_by, status FROM bookings WHERE reference = 'BK-B-101' AND contact_id IS NOT NULL AND conversation_id IS NOT NULL AND request_key IS NOT NULL")).Single());
        Assert.Equal(0, await channel.Db.CountAsync("flow_states"));

        var twice = await phone.TapAsync(summaryWithOmar, "ok:");
        Assert.StartsWith("Your booking BK-B-101 is already confirmed: Haircut with Omar on ", Body(twice));
        Assert.Equal(2, await channel.Db.CountAsync("bookings"));
        Assert.Equal(omar, await channel.Db.ScalarAsync<Guid>("SELECT staff_id FROM bookings WHERE reference = 'BK-B-101'"));

        // Typed words where a tap is asked get a word on how to answer; Cancel ends the run with nothing booked.
        var list = await phone.SayAsync("I want to make a booking");
        Assert.Equal(["Beard trim", "Haircut"], Choices(list).Select(c => c.Title));
        Assert.StartsWith("Please pick one from the list.", Body(await phone.SayAsync("tomorrow please")));
        var beard = await phone.TapAsync(list, "s:");
        var beardSummary = await phone.TapAsync(await phone.TapAsync(beard, "d:"), "t:");
        Assert.Contains("Beard trim with Sara", Body(beardSummary)); // only Sara does it: not asked who
        Assert.Equal(BookingFlow.StoppedText, Body(await phone.TapAsync(beardSummary, "stop")));
        Assert.Equal(2, await channel.Db.CountAsync("bookings"));

        // A day and time typed instead of tapped, in Karachi's time: "at 5" is asked back when both 05:00 and 17:00 are free.
        var typedDays = await phone.TapAsync(await phone.SayAsync("book an appointment"), $"s:{haircut:N}");
        Assert.StartsWith("Haircut: which day suits you?", Body(typedDays));
        var which = await phone.SayAsync("tomorrow at 5");
        Assert.StartsWith("Did you mean 05:00 or 17:00? Please pick one.", Body(which));
        Assert.Equal(["05:00", "17:00"], Choices(which).Select(c => c.Title)); // only the two it could be
        var whoTyped = await phone.SayAsync("5pm");
        Assert.Equal(["Whoever is free", "Omar", "Sara"], Choices(whoTyped).Select(c => c.Title));
        var typedSummary = await phone.TapAsync(whoTyped, $"st:{sara:N}");
        var karachiNow = NodaTime.SystemClock.Instance.GetCurrentInstant().InZone(NodaTime.DateTimeZoneProviders.Tzdb["Asia/Karachi"]).Date;
        Assert.Contains($"{karachiNow.PlusDays(1).ToString("ddd d MMM", CultureInfo.InvariantCulture)} at 17:00 (1 hour)", Body(typedSummary));
        Assert.Equal(BookingFlow.StoppedText, Body(await phone.TapAsync(typedSummary, "stop")));
        await channel.QuiescentAsync();
    }

    [Fact]
    public async Task A_customer_moves_by_taps_or_typed_times_and_cancels_their_own_booking_and_a_late_cancel_goes_to_the_team_when_the_business_says_so()
    {
        await using var channel = await ChannelHarness.CreateAsync(stores);
        var (haircut, sara, _) = await SeedSalonAsync(channel);
        // Day hours here: a day's eight times fit on one list.
        await channel.Db.ExecuteAsync("""
            UPDATE booking_settings SET weekly_hours = (SELECT jsonb_object_agg(d, '[{"from": "09:00", "to": "17:00"}]'::jsonb)
                FROM unnest(array['monday','tuesday','wednesday','thursday','friday','saturday','sunday']) d)
            """);
        await channel.StartWorkerAsync();
        var phone = new OrderingCustomer(channel);
        Assert.Equal(MyBookingsFlow.NoneText, Body(await phone.SayAsync("When is my appointment?")));
        var karachi = NodaTime.DateTimeZoneProviders.Tzdb["Asia/Karachi"];
        var tomorrow = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(1).AddHours(6), TimeSpan.Zero); // 11:00 in Karachi
        await channel.Db.ExecuteAsync("""
            INSERT INTO bookings (id, tenant_id, reference, service_id, service_name, staff_id, staff_name, start_at, end_at, blocked_until, exclusive, status,
                                  contact_id, conversation_id, customer_name, booked_by, created_at, updated_at)
            SELECT gen_random_uuid(), tenant_id, $1, $2, 'Haircut', $3, 'Sara', $4, $4 + interval '1 hour', $4 + interval '1 hour', true, 'Confirmed',
                   contact_id, id, 'Sheena', 'Customer', now(), now()
            FROM conversations
            """, "BK-B-7", haircut, sara, tomorrow.UtcDateTime);
        // Another customer's booking is never listed nor touched.
        await channel.Db.ExecuteAsync("""
            INSERT INTO contacts (id, tenant_id, connection_id, customer_key, wa_id, created_at) SELECT gen_random_uuid(), tenant_id, connection_id, '16505550000', '16505550000', now() FROM contacts;
            INSERT INTO bookings (id, tenant_id, reference, service_id, service_name, staff_id, staff_name, start_at, end_at, blocked_until, exclusive, status, contact_id, booked_by, created_at, updated_at)
            SELECT gen_random_uuid(), tenant_id, 'BK-B-8', NULL, 'Haircut', NULL, 'Omar', now() + interval '2 days', now() + interval '2 days 1 hour', now() + interval '2 days 1 hour', true, 'Confirmed', id, 'Customer', now(), now()
            FROM contacts WHERE wa_id = '16505550000';
            """);

        // "move": their one booking, straight to the days; its own time is free to move within.
        var days = await phone.SayAsync("Can I move my appointment?");
        Assert.StartsWith("Haircut: which day suits you?", Body(days));
        var times = await phone.TapAsync(days, $"d:{tomorrow.ToOffset(TimeSpan.FromHours(5)):yyyy-MM-dd}");
        Assert.Contains(Choices(times), c => c.Title == "11:00" && c.Id == $"t:{tomorrow.ToUnixTimeSeconds()}");
        var later = tomorrow.AddHours(2);
        var confirm = await phone.TapAsync(times, $"t:{later.ToUnixTimeSeconds()}");
        Assert.Equal($"Move your booking BK-B-7 (Haircut) from {BookingUpdates.When(tomorrow, karachi)} to {BookingUpdates.When(later, karachi)}?", Body(confirm));
        var moved = await phone.TapAsync(confirm, "ok");
        Assert.Equal($"Done: your booking BK-B-7 is now on {BookingUpdates.When(later, karachi)} with Sara.", Body(moved));
        Assert.Equal(later.UtcDateTime, await channel.Db.ScalarAsync<DateTime>("SELECT start_at FROM bookings WHERE reference = 'BK-B-7'"));
        Assert.Equal(1, await channel.Db.ScalarAsync<int>("SELECT jsonb_array_length(moves) FROM bookings WHERE reference = 'BK-B-7'"));

        // Typed: "move my booking to <day> at 3 pm" goes straight to that time to confirm; a time
        // typed at the day question does too, and "Keep it" keeps it.
        var day = tomorrow.ToOffset(TimeSpan.FromHours(5)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var three = tomorrow.AddHours(4);
        var typed = await phone.SayAsync($"Please move my booking to {day} at 3 pm");
        Assert.Equal($"Move your booking BK-B-7 (Haircut) from {BookingUpdates.When(later, karachi)} to {BookingUpdates.When(three, karachi)}?", Body(typed));
        Assert.Equal($"Done: your booking BK-B-7 is now on {BookingUpdates.When(three, karachi)} with Sara.", Body(await phone.TapAsync(typed, "ok")));
        var daysAgain = await phone.SayAsync("Can I move my appointment?");
        Assert.StartsWith("Haircut: which day suits you?", Body(daysAgain));
        var four = await phone.SayAsync($"{day} 16:00");
        Assert.Equal($"Move your booking BK-B-7 (Haircut) from {BookingUpdates.When(three, karachi)} to {BookingUpdates.When(tomorrow.AddHours(5), karachi)}?", Body(four));
        Assert.StartsWith("OK, your booking stays as it is.", Body(await phone.TapAsync(four, "keep")));
        Assert.Equal(three.UtcDateTime, await channel.Db.ScalarAsync<DateTime>("SELECT start_at FROM bookings WHERE reference = 'BK-B-7'"));

        // A cancel inside the notice, where the business allows it: told it is late, confirmed, cancelled.
        await channel.Db.ExecuteAsync("UPDATE booking_settings SET cancellation_notice_minutes = 4320, late_cancellation = 'Allowed'");
        var sure = await phone.SayAsync("Please cancel my booking");
        Assert.Contains("Cancel your booking: Haircut with Sara on ", Body(sure));
        Assert.Contains("It is less than 3 days away.", Body(sure));
        Assert.StartsWith("Your booking BK-B-7 is cancelled.", Body(await phone.TapAsync(sure, "yes")));
        Assert.Equal(["Cancelled", "Customer", "Cancelled by the customer."], (await channel.Db.RowsAsync("SELECT status, cancelled_by, cancel_reason FROM bookings WHERE reference = 'BK-B-7'")).Single());
        Assert.Equal(MyBookingsFlow.NoneText, Body(await phone.SayAsync("my bookings")));

        // Where the business decides late cancels itself, the conversation goes to the team and the booking stays.
        await channel.Db.ExecuteAsync("UPDATE booking_settings SET late_cancellation = 'HandOff'");
        await channel.Db.ExecuteAsync("UPDATE bookings SET status = 'Confirmed', cancelled_by = NULL, cancel_reason = NULL WHERE reference = 'BK-B-7'");
        await channel.DeliverTextAsync("cancel my appointment");
        await channel.EventuallyAsync(async () => await channel.Db.ScalarAsync<string>(
            "SELECT state FROM conversations WHERE contact_id = (SELECT id FROM contacts WHERE wa_id = $1)", ChannelHarness.Customer) == "NeedsHuman", "the conversation is handed to the team");
        Assert.Contains("cancel booking BK-B-7 within the cancellation notice", await channel.Db.ScalarAsync<string>("SELECT handoff_reason FROM conversations WHERE contact_id = (SELECT id FROM contacts WHERE wa_id = $1)", ChannelHarness.Customer));
        Assert.Equal(["Confirmed", "Confirmed"], (await channel.Db.RowsAsync("SELECT status FROM bookings WHERE reference IN ('BK-B-7', 'BK-B-8') ORDER BY reference")).Select(r => (string)r[0]!));
        await channel.QuiescentAsync();
    }

    [Fact]
    public async Task A_request_naming_a_service_starts_booking_at_its_days_and_my_before_one_asks_for_the_customers_own_bookings()
    {
        await using var channel = await ChannelHarness.CreateAsync(stores);
        await SeedSalonAsync(channel);
        await channel.StartWorkerAsync();
        var phone = new OrderingCustomer(channel);

        // No booking phrase: words that ask to come, and the service's name; the service is not asked again.
        Assert.StartsWith("Beard trim: which day suits you?", Body(await phone.SayAsync("Could I come in for a beard trim on Friday?")));
        Assert.Equal(GuidedFlows.LeftText, Body(await phone.SayAsync("cancel")));

        // "my" before a service: the customer's own bookings (none yet), not a new one.
        Assert.Equal(MyBookingsFlow.NoneText, Body(await phone.SayAsync("What time is my haircut?")));
        Assert.Equal(0, await channel.Db.CountAsync("bookings"));
    }

    /// <summary>A salon in Karachi open round the clock (so the test runs at any hour): a haircut two people do, a beard trim only Sara does.</summary>
    internal static async Task<(Guid Haircut, Guid Sara, Guid Omar)> SeedSalonAsync(ChannelHarness channel)
    {
        await using var db = TestStores.CreateDbContext(channel.DatabaseConnectionString, channel.TenantId);
        var now = DateTimeOffset.UtcNow;
        var day = new[] { new HoursRange("00:00", "24:00") };
        db.BookingSettings.Add(new BookingSettings
        {
            TenantId = channel.TenantId, TimeZone = "Asia/Karachi",
            WeeklyHours = BookingJson.Write(HoursText.Week.ToDictionary(HoursText.DayName, _ => day)),
        });
        var sara = new StaffMember { TenantId = channel.TenantId, Name = "Sara", CreatedAt = now, UpdatedAt = now };
        var omar = new StaffMember { TenantId = channel.TenantId, Name = "Omar", CreatedAt = now, UpdatedAt = now };
        var haircut = new BookableService
        {
            TenantId = channel.TenantId, Name = "Haircut", DurationMinutes = 60, IntervalMinutes = 60, MinimumNoticeMinutes = 60, HorizonDays = 7,
            PriceMinor = 150000, Currency = "PKR", StaffIds = [sara.Id, omar.Id], CreatedAt = now, UpdatedAt = now,
        };
        db.StaffMembers.AddRange(sara, omar);
        db.BookableServices.AddRange(haircut, new BookableService
        {
            TenantId = channel.TenantId, Name = "Beard trim", DurationMinutes = 30, StaffIds = [sara.Id], CreatedAt = now, UpdatedAt = now,
        });
        await db.SaveChangesAsync();
        return (haircut.Id, sara.Id, omar.Id);
    }
}
