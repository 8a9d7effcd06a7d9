using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;

namespace LeadsPeer.Core.Bookings;

/// <summary>Which part of the day a customer named ("Friday morning").</summary>
public enum PartOfDay
{
    Morning,
    Afternoon,
    Evening,
}

/// <summary>
/// What a customer's words say about when ("tomorrow at 5", "Friday morning", "8 Jan 17:30"), read
/// in the business's zone: a day, a clock time, or a part of the day. An hour without am or pm
/// ("at 5") is kept as <see cref="TypedWhen.Hour12"/>: the free times decide between 05:00 and
/// 17:00, and when both (or neither) are free the customer is asked. Words that name no day and no
/// time read as nothing.
/// </summary>
public sealed partial record TypedWhen(LocalDate? Day, LocalTime? Time, int? Hour12, PartOfDay? Part)
{
    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    public bool IsEmpty => Day is null && Time is null && Hour12 is null && Part is null;

    /// <summary>Reads <paramref name="text"/> as of <paramref name="today"/> (the business's date now).</summary>
    public static TypedWhen Read(string? text, LocalDate today)
    {
        var words = (text ?? "").ToLowerInvariant();
        return new TypedWhen(DayOf(words, today), TimeOf(words, out var hour12), hour12, PartOf(words));
    }

    /// <summary>Whether <paramref name="start"/> (local) is what the words asked for, the day left aside.</summary>
    public bool Fits(LocalTime start) =>
        (Time is null || start == Time)
        && (Hour12 is null || start.Hour % 12 == Hour12 % 12 && start.Minute == 0)
        && (Part is null || Part == PartOfDay.Morning && start.Hour < 12 || Part == PartOfDay.Afternoon && start.Hour is >= 12 and < 17 || Part == PartOfDay.Evening && start.Hour >= 17);

    private static LocalDate? DayOf(string words, LocalDate today)
    {
        if (Word(words, "day after tomorrow"))
        {
            return today.PlusDays(2);
        }

        if (Word(words, "tomorrow") || Word(words, "tmrw"))
        {
            return today.PlusDays(1);
        }

        if (Word(words, "today") || Word(words, "tonight"))
        {
            return today;
        }

        if (IsoDate().Match(words) is { Success: true } iso && HoursText.Date(iso.Value) is { } written)
        {
            return written;
        }

        foreach (Match dm in DayMonth().Matches(words))
        {
            if (Month(dm.Groups["month"].Value) is { } month && Safe(today.Year, month, int.Parse(dm.Groups["day"].Value, CultureInfo.InvariantCulture)) is { } date)
            {
                return date < today ? Safe(today.Year + 1, month, date.Day) : date; // "5 Jan" in December: next year's
            }
        }

        foreach (var day in Enum.GetValues<IsoDayOfWeek>().Where(d => d != IsoDayOfWeek.None))
        {
            var name = day.ToString().ToLowerInvariant();
            if (Word(words, name) || Word(words, name[..3]))
            {
                // The next such day; "next Friday" on a Friday is a week on, "Friday" then is today.
                var ahead = ((int)day - (int)today.DayOfWeek + 7) % 7;
                return today.PlusDays(ahead == 0 && Word(words, "next") ? 7 : ahead);
            }
        }

        return null;
    }

    private static LocalTime? TimeOf(string words, out int? hour12)
    {
        hour12 = null;
        foreach (Match clock in Clock().Matches(words))
        {
            var hour = int.Parse(clock.Groups["hour"].Value, CultureInfo.InvariantCulture);
            var minute = clock.Groups["minute"].Success ? int.Parse(clock.Groups["minute"].Value, CultureInfo.InvariantCulture) : 0;
            var meridiem = clock.Groups["meridiem"].Value;
            if (minute > 59 || hour > 23 || (meridiem.Length > 0 && hour is 0 or > 12))
            {
                continue;
            }

            if (meridiem.Length > 0)
            {
                return new LocalTime(hour % 12 + (meridiem.StartsWith('p') ? 12 : 0), minute);
            }

            if (clock.Groups["minute"].Success)
            {
                return new LocalTime(hour, minute); // "17:30", "9:00": a 24-hour clock
            }

            if (clock.Groups["at"].Success)
            {
                if (hour == 0 || hour > 12)
                {
                    return new LocalTime(hour, 0); // "at 17"
                }

                hour12 = hour; // "at 5": morning or afternoon, as the free times decide
                return null;
            }

            // A bare number ("5 people", a day of the month) says no time.
        }

        return Word(words, "noon") || Word(words, "midday") ? new LocalTime(12, 0) : null;
    }

    private static PartOfDay? PartOf(string words) =>
        Word(words, "morning") ? PartOfDay.Morning
        : Word(words, "afternoon") ? PartOfDay.Afternoon
        : Word(words, "evening") || Word(words, "tonight") ? PartOfDay.Evening
        : null;

    private static int? Month(string name) => Array.FindIndex(Months, m => name.StartsWith(m, StringComparison.Ordinal)) is var i and >= 0 ? i + 1 : null;

    private static LocalDate? Safe(int year, int month, int day) =>
        day >= 1 && day <= CalendarSystem.Iso.GetDaysInMonth(year, month) ? new LocalDate(year, month, day) : null;

    private static bool Word(string words, string word) => Regex.IsMatch(words, $@"\b{Regex.Escape(word)}\b", RegexOptions.CultureInvariant);

    [GeneratedRegex(@"\b\d{4}-\d{2}-\d{2}\b")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"\b(?:(?<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?<month>[a-z]{3,9})|(?<month>[a-z]{3,9})\s+(?<day>\d{1,2})(?:st|nd|rd|th)?)\b")]
    private static partial Regex DayMonth();

    // "5pm", "5:30 pm", "17:00", "at 5", "at 17.30"; not a day of the month ("8 Jan") nor a date's parts.
    [GeneratedRegex(@"(?<at>\bat\s+)?\b(?<hour>\d{1,2})(?:[:.](?<minute>\d{2}))?\s*(?<meridiem>am|pm|a\.m\.|p\.m\.)?(?!\s*(?:st|nd|rd|th)\b)(?!\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))(?![-\d])")]
    private static partial Regex Clock();
}
