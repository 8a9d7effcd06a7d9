using System.Globalization;
using LeadsPeer.Core.Data;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace LeadsPeer.Core.Bookings;

/// <summary>A booking as a block on the team's calendar: its minutes of the day in the business's zone.</summary>
public sealed record CalendarBlock(
    Guid Id, string Reference, string ServiceName, string? CustomerName, int From, int To, BookingStatus Status, bool CustomerConfirmed, string Local);

/// <summary>One staff member on one day: when they work (the free time around the blocks), or why they do not, and their bookings.</summary>
public sealed record CalendarColumn(
    Guid StaffId, string StaffName, string Date, string DayLabel, IReadOnlyList<DayRange> Open, string? Closed, IReadOnlyList<CalendarBlock> Bookings);

public sealed record CalendarStaff(Guid Id, string Name);

/// <summary>A customer the team may book for: one who has written to the business (never a typed-in number).</summary>
public sealed record CalendarCustomer(Guid ContactId, string Name);

/// <summary>
/// What the Calendar page shows: a column per staff member and day, from <see cref="FirstMinute"/>
/// to <see cref="LastMinute"/> of the day (the hours anyone works, or has a booking, rounded out to
/// whole hours). Null <see cref="NotSetUp"/> when bookings are set up.
/// </summary>
public sealed record CalendarView(
    string TimeZone, string From, int Days, IReadOnlyList<CalendarStaff> Staff, IReadOnlyList<CalendarColumn> Columns, int FirstMinute, int LastMinute, string? NotSetUp);

/// <summary>The team's calendar: days of bookings by staff member, in the business's zone, with the time each one works.</summary>
public sealed class TeamCalendar(LeadsPeerDbContext db, TimeProvider time)
{
    public const string NotSetUpText = "Bookings are not set up yet: save the opening hours, then add staff and services.";

    /// <summary>
    /// <paramref name="days"/> days from <paramref name="from"/> (yyyy-MM-dd in the business's zone;
    /// default today), for <paramref name="staffId"/> or everyone. Cancelled bookings hold no time
    /// and are left out.
    /// </summary>
    public async Task<CalendarView> ViewAsync(string? from, int days, Guid? staffId, CancellationToken cancellationToken)
    {
        var settings = await db.BookingSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        var zone = BookingCalendar.ZoneOf(settings);
        var first = HoursText.Date(from) ?? Instant.FromDateTimeOffset(time.GetUtcNow()).InZone(zone).Date;
        days = Math.Clamp(days, 1, 7);
        var everyone = await db.StaffMembers.AsNoTracking().Where(s => s.Active).OrderBy(s => s.Name).ToListAsync(cancellationToken);
        var staffList = everyone.Select(s => new CalendarStaff(s.Id, s.Name)).ToList();
        if (settings is null)
        {
            return new CalendarView(zone.Id, HoursText.Write(first), days, staffList, [], 8 * 60, 18 * 60, NotSetUpText);
        }

        var shown = staffId is { } one ? everyone.Where(s => s.Id == one).ToList() : everyone;
        var ids = shown.Select(s => s.Id).ToList();
        var since = first.AtStartOfDayInZone(zone).ToInstant().ToDateTimeOffset();
        var until = first.PlusDays(days).AtStartOfDayInZone(zone).ToInstant().ToDateTimeOffset();
        var bookings = await db.Bookings.AsNoTracking()
            .Where(b => b.StaffId != null && ids.Contains(b.StaffId.Value) && b.Status != BookingStatus.Cancelled && b.StartAt < until && b.EndAt > since)
            .OrderBy(b => b.StartAt).ToListAsync(cancellationToken);

        var calendar = BookingCalendar.Of(settings);
        // Each person's own week read once, not once a day.
        var weeks = shown.ToDictionary(s => s.Id, s => s.WeeklyHours is null ? null : BookingCalendar.Week(BookingJson.Week(s.WeeklyHours)));
        var columns = new List<CalendarColumn>();
        for (var date = first; date < first.PlusDays(days); date = date.PlusDays(1))
        {
            var (open, closed) = calendar.Day(date);
            foreach (var staff in shown)
            {
                var works = BookingCalendar.StaffDay(staff, weeks[staff.Id], date, open);
                var blocks = bookings.Where(b => b.StaffId == staff.Id).Select(b => Block(b, date, zone)).OfType<CalendarBlock>().ToList();
                var why = closed ?? (works.Count == 0 ? $"{staff.Name} does not work on {BookingUpdates.Day(date)}." : null);
                columns.Add(new CalendarColumn(staff.Id, staff.Name, HoursText.Write(date), BookingUpdates.Day(date), works, why, blocks));
            }
        }

        var minutes = columns.SelectMany(c => c.Open.SelectMany(r => new[] { r.From, r.To }).Concat(c.Bookings.SelectMany(b => new[] { b.From, b.To }))).ToList();
        var firstMinute = minutes.Count == 0 ? 8 * 60 : minutes.Min() / 60 * 60;
        var lastMinute = minutes.Count == 0 ? 18 * 60 : Math.Min(DayRange.DayEnd, (minutes.Max() + 59) / 60 * 60);
        return new CalendarView(zone.Id, HoursText.Write(first), days, staffList, columns, firstMinute, Math.Max(lastMinute, firstMinute + 60), null);
    }

    /// <summary>The customers who wrote most recently (by name), for booking one of them: the team never books a number nobody wrote from.</summary>
    public async Task<IReadOnlyList<CalendarCustomer>> CustomersAsync(CancellationToken cancellationToken)
    {
        var recent = await db.Conversations.AsNoTracking().OrderByDescending(c => c.LastMessageAt)
            .Join(db.Contacts.AsNoTracking(), c => c.ContactId, k => k.Id, (c, k) => new { k.Id, k.DisplayName, k.ProfileName })
            .Take(200).ToListAsync(cancellationToken);
        return [.. recent.DistinctBy(c => c.Id).Take(50).Select(c => new CalendarCustomer(c.Id, c.DisplayName ?? c.ProfileName ?? "WhatsApp customer"))];
    }

    /// <summary>A date and a clock time typed in the business's zone ("2027-01-05", "10:30") as an instant; null when either is not one. A time skipped by a clock change moves on past the gap.</summary>
    public static DateTimeOffset? At(string? date, string? clock, string timeZone)
    {
        var day = HoursText.Date(date);
        var parsed = LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(clock?.Trim() ?? "");
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone);
        return day is null || !parsed.Success || zone is null ? null : day.Value.At(parsed.Value).InZoneLeniently(zone).ToInstant().ToDateTimeOffset();
    }

    /// <summary>The part of <paramref name="booking"/> that falls on <paramref name="date"/>, or null.</summary>
    private static CalendarBlock? Block(Booking booking, LocalDate date, DateTimeZone zone)
    {
        var start = Instant.FromDateTimeOffset(booking.StartAt).InZone(zone).LocalDateTime;
        var end = Instant.FromDateTimeOffset(booking.EndAt).InZone(zone).LocalDateTime;
        if (start.Date > date || end.Date < date || (end.Date == date && end.TimeOfDay == LocalTime.Midnight))
        {
            return null;
        }

        var from = start.Date < date ? 0 : BookingCalendar.MinuteOf(start);
        var to = end.Date > date ? DayRange.DayEnd : BookingCalendar.MinuteOf(end);
        return new CalendarBlock(booking.Id, booking.Reference, booking.ServiceName, booking.CustomerName, from, Math.Max(to, from + 5), booking.Status,
            booking.CustomerConfirmedAt is not null, BookingQueries.Local(booking.StartAt, zone));
    }
}
