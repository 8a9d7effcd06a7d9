using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace LeadsPeer.Core.Bookings;

/// <summary>A range as written in the API and stored: "09:00" to "13:00" ("24:00" ends at midnight).</summary>
public sealed record HoursRange(string From, string To);

/// <summary>
/// Days that do not follow the weekly hours, from one date to another (both included): a holiday
/// (no hours: closed) or a different schedule (a shorter Ramadan day).
/// </summary>
public sealed record SpecialDays(string From, string To, string? Name, IReadOnlyList<HoursRange> Hours);

/// <summary>A part of a day in minutes from midnight, <c>[From, To)</c>; <c>To</c> may be 1440 (the day's end).</summary>
public readonly record struct DayRange(int From, int To)
{
    public const int DayEnd = 24 * 60;

    public bool Holds(int from, int to) => from >= From && to <= To;

    public static string Clock(int minute) => $"{minute / 60:00}:{minute % 60:00}";

    public override string ToString() => $"{Clock(From)}–{Clock(To)}";

    /// <summary>The parts of the day both lists cover (a staff member's hours within the opening hours).</summary>
    public static IReadOnlyList<DayRange> Intersect(IReadOnlyList<DayRange> a, IReadOnlyList<DayRange> b) =>
        [.. a.SelectMany(x => b.Select(y => new DayRange(Math.Max(x.From, y.From), Math.Min(x.To, y.To)))).Where(r => r.From < r.To).OrderBy(r => r.From)];
}

/// <summary>
/// Reads hours and dates as people write them and says exactly what is wrong ("25:00 is not a
/// time of day"), so the API can name the field. Everything stored has passed through here.
/// </summary>
public static class HoursText
{
    public static readonly IReadOnlyList<IsoDayOfWeek> Week =
        [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday, IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday];

    public static string DayName(IsoDayOfWeek day) => day.ToString().ToLowerInvariant();

    public static IsoDayOfWeek? Day(string name) =>
        Week.Cast<IsoDayOfWeek?>().FirstOrDefault(d => string.Equals(DayName(d!.Value), name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Minutes from midnight of "HH:mm" (or "H:mm"); "24:00" only as a range's end.</summary>
    public static int? Minute(string? text, bool end)
    {
        var parts = text?.Trim().Split(':');
        if (parts is not { Length: 2 } || parts[1].Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            || minutes > 59)
        {
            return null;
        }

        return hours < 24 || (end && hours == 24 && minutes == 0) ? (hours * 60) + minutes : null;
    }

    public static LocalDate? Date(string? text) =>
        text is not null && LocalDatePattern.Iso.Parse(text.Trim()) is { Success: true } parsed ? parsed.Value : null;

    public static string Write(LocalDate date) => LocalDatePattern.Iso.Format(date);

    /// <summary>
    /// One day's ranges, in order, or the errors under <paramref name="field"/>: an unreadable time,
    /// a range that ends before it starts, two ranges that overlap.
    /// </summary>
    public static IReadOnlyList<DayRange> Ranges(IReadOnlyList<HoursRange>? ranges, string field, IDictionary<string, string[]> errors)
    {
        var read = new List<DayRange>();
        for (var i = 0; i < (ranges?.Count ?? 0); i++)
        {
            var range = ranges![i];
            var from = Minute(range?.From, end: false);
            var to = Minute(range?.To, end: true);
            if (from is null || to is null)
            {
                var bad = from is null ? range?.From : range?.To;
                errors[$"{field}[{i}]"] = [$"\"{bad}\" is not a time of day: write it as HH:mm, from 00:00 to 24:00."];
                continue;
            }

            if (to <= from)
            {
                errors[$"{field}[{i}]"] = [$"The range {range!.From}–{range.To} ends before it starts."];
                continue;
            }

            read.Add(new DayRange(from.Value, to.Value));
        }

        read.Sort((a, b) => a.From.CompareTo(b.From));
        for (var i = 1; i < read.Count; i++)
        {
            if (read[i].From < read[i - 1].To)
            {
                errors[field] = [$"The ranges {read[i - 1]} and {read[i]} overlap."];
            }
        }

        return read;
    }

    /// <summary>
    /// A week as written (day name → ranges), in its stored form: day names in lower case, each
    /// day's ranges checked and in order, closed days left out; errors under <c>field.day</c>.
    /// </summary>
    public static Dictionary<string, IReadOnlyList<HoursRange>> ReadWeek(
        IReadOnlyDictionary<string, IReadOnlyList<HoursRange>> written, string field, IDictionary<string, string[]> errors)
    {
        var week = new Dictionary<string, IReadOnlyList<HoursRange>>();
        foreach (var (name, ranges) in written)
        {
            if (Day(name) is not { } day)
            {
                errors[$"{field}.{name}"] = ["Name the days monday to sunday."];
                continue;
            }

            var read = Ranges(ranges, $"{field}.{DayName(day)}", errors);
            if (read.Count > 0)
            {
                week[DayName(day)] = Write(read);
            }
        }

        return week;
    }

    /// <summary>Ranges already checked (read back from storage).</summary>
    public static IReadOnlyList<DayRange> Trusted(IReadOnlyList<HoursRange>? ranges) =>
        [.. (ranges ?? []).Select(r => new DayRange(Minute(r.From, false)!.Value, Minute(r.To, true)!.Value)).OrderBy(r => r.From)];

    public static IReadOnlyList<HoursRange> Write(IReadOnlyList<DayRange> ranges) =>
        [.. ranges.Select(r => new HoursRange(DayRange.Clock(r.From), DayRange.Clock(r.To)))];
}
