using NodaTime;

namespace LeadsPeer.Core.Bookings;

/// <summary>A confirmed booking as availability sees it: its staff member is busy from its start until its buffer ends.</summary>
public sealed record BusyTime(Guid BookingId, Guid StaffId, Guid? ServiceId, Instant Start, Instant Until, string Reference);

/// <summary>A free start time, in UTC and in the business's zone, with the staff members free then.</summary>
public sealed record Slot(Instant Start, Instant End, LocalDateTime Local, IReadOnlyList<Guid> StaffIds);

/// <summary>Why a time is not free; <paramref name="Taken"/> when only another booking stands in the way (the time itself could be booked).</summary>
public sealed record NotFree(string Why, bool Taken = false);

/// <summary>Whose rules a time is checked by: customers book on the service's grid, with notice and within the horizon; the team books any free time that has not passed.</summary>
public enum SlotRules
{
    Customer,
    Team,
}

/// <summary>
/// Free start times, and why a time is not free. Deterministic: the same hours, bookings and
/// clock give the same answer. One rule set (<see cref="WhyNot"/>) decides both, so a time that is
/// not offered can always be explained, and a booking is only ever made at a time that would have
/// been offered.
/// </summary>
public sealed class Availability
{
    private readonly BookingCalendar _calendar;
    private readonly Instant _now;
    private readonly Dictionary<Guid, BusyTime[]> _busy;
    private readonly Dictionary<Guid, Duration> _longest;
    private readonly Dictionary<Guid, IReadOnlyDictionary<IsoDayOfWeek, IReadOnlyList<DayRange>>?> _weeks = [];

    public Availability(BookingCalendar calendar, IEnumerable<BusyTime> busy, Instant now)
    {
        _calendar = calendar;
        _now = now;
        _busy = busy.GroupBy(b => b.StaffId).ToDictionary(g => g.Key, g => g.OrderBy(b => b.Start).ToArray());
        _longest = _busy.ToDictionary(b => b.Key, b => b.Value.Max(x => x.Until - x.Start));
    }

    public DateTimeZone Zone => _calendar.Zone;

    /// <summary>The free start times of <paramref name="service"/> from one date to another (both included, in the business's zone), earliest first.</summary>
    public IReadOnlyList<Slot> Slots(BookableService service, IEnumerable<StaffMember> staff, LocalDate from, LocalDate to, Guid? ignoreBooking = null)
    {
        var free = new SortedDictionary<Instant, (LocalDateTime Local, List<Guid> Staff)>();
        var doing = staff.Where(s => s.Active && service.StaffIds.Contains(s.Id)).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        for (var date = from; date <= to; date = date.PlusDays(1))
        {
            var (open, _) = _calendar.Day(date);
            foreach (var member in doing)
            {
                foreach (var range in BookingCalendar.StaffDay(member, WeekOf(member), date, open))
                {
                    for (var minute = range.From; minute + service.DurationMinutes <= range.To; minute += service.IntervalMinutes)
                    {
                        var local = date.At(LocalTime.Midnight).PlusMinutes(minute);
                        var mapped = _calendar.Zone.MapLocal(local);
                        if (mapped.Count == 0)
                        {
                            continue; // the clocks skip this time (a daylight-saving change)
                        }

                        var start = mapped.First().ToInstant(); // a repeated hour is offered once, at its first occurrence
                        if (WhyNot(service, member, start, SlotRules.Customer, ignoreBooking) is null)
                        {
                            if (!free.TryGetValue(start, out var slot))
                            {
                                free[start] = slot = (local, []);
                            }

                            slot.Staff.Add(member.Id);
                        }
                    }
                }
            }
        }

        var duration = Duration.FromMinutes(service.DurationMinutes);
        return [.. free.Select(f => new Slot(f.Key, f.Key + duration, f.Value.Local, f.Value.Staff))];
    }

    /// <summary>Why <paramref name="staff"/> cannot take <paramref name="service"/> at <paramref name="start"/>; null when they can.</summary>
    public NotFree? WhyNot(BookableService service, StaffMember staff, Instant start, SlotRules rules, Guid? ignoreBooking = null)
    {
        var customer = rules == SlotRules.Customer;
        if (!service.StaffIds.Contains(staff.Id))
        {
            return new NotFree($"{staff.Name} does not do {service.Name}.");
        }

        if (!staff.Active || (customer && !service.Active))
        {
            return new NotFree(!staff.Active ? $"{staff.Name} takes no bookings at the moment." : $"{service.Name} is not offered at the moment.");
        }

        if (start < _now)
        {
            return new NotFree("That time has passed.");
        }

        if (customer && start < _now + Duration.FromMinutes(service.MinimumNoticeMinutes))
        {
            return new NotFree($"{service.Name} is booked at least {DurationWords.Minutes(service.MinimumNoticeMinutes)} ahead.");
        }

        var local = start.InZone(_calendar.Zone).LocalDateTime;
        var today = _now.InZone(_calendar.Zone).Date;
        if (customer && local.Date > today.PlusDays(service.HorizonDays))
        {
            return new NotFree($"{service.Name} is booked at most {service.HorizonDays} days ahead.");
        }

        var end = start + Duration.FromMinutes(service.DurationMinutes);
        var localEnd = end.InZone(_calendar.Zone).LocalDateTime;
        var endMinute = localEnd.Date == local.Date ? BookingCalendar.MinuteOf(localEnd)
            : localEnd.Date == local.Date.PlusDays(1) && localEnd.TimeOfDay == LocalTime.Midnight ? DayRange.DayEnd : -1;
        if (endMinute < 0)
        {
            return new NotFree($"{service.Name} would run past the end of the day.");
        }

        var startMinute = BookingCalendar.MinuteOf(local);
        var (open, closed) = _calendar.Day(local.Date);
        if (open.Count == 0 || !open.Any(r => r.Holds(startMinute, endMinute)))
        {
            return new NotFree(closed ?? $"{DayRange.Clock(startMinute)}–{DayRange.Clock(endMinute)} is outside the opening hours ({string.Join(", ", open)}).");
        }

        var own = BookingCalendar.StaffDay(staff, WeekOf(staff), local.Date, open);
        if (own.Count == 0)
        {
            return new NotFree($"{staff.Name} does not work on {HoursText.Write(local.Date)}.");
        }

        if (own.FirstOrDefault(r => r.Holds(startMinute, endMinute)) is not { To: > 0 } range)
        {
            return new NotFree($"{DayRange.Clock(startMinute)}–{DayRange.Clock(endMinute)} is outside {staff.Name}'s hours ({string.Join(", ", own)}).");
        }

        if (customer && (startMinute - range.From) % service.IntervalMinutes != 0)
        {
            return new NotFree($"{service.Name} starts every {DurationWords.Minutes(service.IntervalMinutes)} from {DayRange.Clock(range.From)}.");
        }

        return Busy(service, staff, start, end + Duration.FromMinutes(service.BufferAfterMinutes), ignoreBooking) is { } busy ? new NotFree(busy, Taken: true) : null;
    }

    private string? Busy(BookableService service, StaffMember staff, Instant start, Instant blockedUntil, Guid? ignoreBooking)
    {
        if (!_busy.TryGetValue(staff.Id, out var busy))
        {
            return null;
        }

        // Sorted by start: nothing that starts before (start − the longest booking) can reach start.
        var earliest = start - _longest[staff.Id];
        var first = Array.BinarySearch(busy, new BusyTime(Guid.Empty, staff.Id, null, earliest, earliest, ""), ByStart.Instance);
        var shared = 0;
        for (var i = first < 0 ? ~first : first; i < busy.Length && busy[i].Start < blockedUntil; i++)
        {
            var other = busy[i];
            if (other.BookingId == ignoreBooking || other.Until <= start)
            {
                continue;
            }

            if (service.Capacity > 1 && other.ServiceId == service.Id && other.Start == start)
            {
                shared++; // a place at the same class or tasting
                continue;
            }

            return $"{staff.Name} is busy then (booking {other.Reference}).";
        }

        return shared >= service.Capacity && service.Capacity > 1 ? $"All {service.Capacity} places are taken." : null;
    }

    private IReadOnlyDictionary<IsoDayOfWeek, IReadOnlyList<DayRange>>? WeekOf(StaffMember staff)
    {
        if (!_weeks.TryGetValue(staff.Id, out var week))
        {
            _weeks[staff.Id] = week = staff.WeeklyHours is null ? null : BookingCalendar.Week(BookingJson.Week(staff.WeeklyHours));
        }

        return week;
    }

    private sealed class ByStart : IComparer<BusyTime>
    {
        public static readonly ByStart Instance = new();

        public int Compare(BusyTime? x, BusyTime? y) => x!.Start.CompareTo(y!.Start);
    }
}

/// <summary>Durations as a customer reads them.</summary>
public static class DurationWords
{
    public static string Minutes(int minutes) => minutes switch
    {
        < 60 => $"{minutes} minutes",
        _ when minutes % (24 * 60) == 0 => minutes == 24 * 60 ? "1 day" : $"{minutes / (24 * 60)} days",
        _ when minutes % 60 == 0 => minutes == 60 ? "1 hour" : $"{minutes / 60} hours",
        _ => $"{minutes / 60} h {minutes % 60} min",
    };
}
