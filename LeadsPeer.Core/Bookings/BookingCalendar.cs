using NodaTime;

namespace LeadsPeer.Core.Bookings;

/// <summary>
/// An organisation's opening hours read for computing: its zone, its week, its special days. Built
/// from stored settings, which were checked when saved.
/// </summary>
public sealed class BookingCalendar
{
    private readonly IReadOnlyDictionary<IsoDayOfWeek, IReadOnlyList<DayRange>> _week;
    private readonly IReadOnlyList<(LocalDate From, LocalDate To, string? Name, IReadOnlyList<DayRange> Hours)> _specials;

    public BookingCalendar(DateTimeZone zone, IReadOnlyDictionary<IsoDayOfWeek, IReadOnlyList<DayRange>> week,
        IReadOnlyList<(LocalDate From, LocalDate To, string? Name, IReadOnlyList<DayRange> Hours)> specials)
    {
        Zone = zone;
        _week = week;
        _specials = specials;
    }

    public DateTimeZone Zone { get; }

    public static BookingCalendar Of(BookingSettings settings) => new(
        ZoneOf(settings),
        Week(settings.Week()),
        [.. settings.Specials().Select(s => (HoursText.Date(s.From)!.Value, HoursText.Date(s.To)!.Value, s.Name, HoursText.Trusted(s.Hours)))]);

    /// <summary>The organisation's zone (UTC before bookings are set up), without reading its hours.</summary>
    public static DateTimeZone ZoneOf(BookingSettings? settings) =>
        settings is null ? DateTimeZone.Utc : DateTimeZoneProviders.Tzdb.GetZoneOrNull(settings.TimeZone) ?? DateTimeZone.Utc;

    /// <summary>A stored week (day name → ranges) by day.</summary>
    public static IReadOnlyDictionary<IsoDayOfWeek, IReadOnlyList<DayRange>> Week(IReadOnlyDictionary<string, IReadOnlyList<HoursRange>> stored) =>
        stored.Where(d => HoursText.Day(d.Key) is not null).ToDictionary(d => HoursText.Day(d.Key)!.Value, d => HoursText.Trusted(d.Value));

    /// <summary>The day's opening ranges, and when there are none, why ("Closed: Eid ul-Fitr").</summary>
    public (IReadOnlyList<DayRange> Ranges, string? Closed) Day(LocalDate date)
    {
        foreach (var special in _specials)
        {
            if (date >= special.From && date <= special.To)
            {
                return (special.Hours, special.Hours.Count == 0 ? $"Closed on {HoursText.Write(date)}{(special.Name is { } name ? $" ({name})" : "")}." : null);
            }
        }

        var ranges = _week.GetValueOrDefault(date.DayOfWeek) ?? [];
        return (ranges, ranges.Count == 0 ? $"Closed on {date.DayOfWeek}s." : null);
    }

    /// <summary>When <paramref name="staff"/> works on <paramref name="date"/>: their own week within the opening ranges (none on a day off).</summary>
    public static IReadOnlyList<DayRange> StaffDay(StaffMember staff, IReadOnlyDictionary<IsoDayOfWeek, IReadOnlyList<DayRange>>? ownWeek, LocalDate date, IReadOnlyList<DayRange> open)
    {
        if (staff.DaysOff.Contains(date.ToDateOnly()))
        {
            return [];
        }

        return ownWeek is null ? open : DayRange.Intersect(open, ownWeek.GetValueOrDefault(date.DayOfWeek) ?? []);
    }

    public static int MinuteOf(LocalDateTime local) => (local.Hour * 60) + local.Minute;
}
