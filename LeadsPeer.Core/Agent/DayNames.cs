using System.Text.RegularExpressions;

namespace LeadsPeer.Core.Agent;

/// <summary>
/// The days of the week a text names, as opening hours are written: "on Saturdays", "Sun",
/// "Monday to Saturday" and "Mon–Fri" (a range names every day in it), "weekdays", "the weekend".
/// A question about one day's hours is answered by the sentence that covers that day, not by the
/// one that reads nearest.
/// </summary>
public static partial class DayNames
{
    private static readonly string[] Days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    /// <summary>The days (0 = Monday … 6 = Sunday) <paramref name="text"/> names, ranges included.</summary>
    public static IReadOnlySet<int> In(string? text)
    {
        var days = new HashSet<int>();
        if (string.IsNullOrEmpty(text))
        {
            return days;
        }

        foreach (Match range in Range().Matches(text))
        {
            var (from, to) = (Day(range.Groups[1].Value), Day(range.Groups[2].Value));
            for (var day = from; day != to; day = (day + 1) % 7)
            {
                days.Add(day);
            }

            days.Add(to);
        }

        foreach (Match name in Name().Matches(text))
        {
            days.Add(Day(name.Value));
        }

        // "Weekdays" are Monday to Friday, "the weekend" Saturday and Sunday.
        foreach (Match part in WeekPart().Matches(text))
        {
            days.UnionWith(part.Value.StartsWith("weekday", StringComparison.OrdinalIgnoreCase) ? [0, 1, 2, 3, 4] : [5, 6]);
        }

        return days;
    }

    /// <summary>
    /// Whether one word is a day's name ("friday", "fridays", "fri"); "sun", "sat" and "wed" are
    /// words of their own ("sun hats") and are not read as days on their own.
    /// </summary>
    public static bool IsDay(string word) => word.ToLowerInvariant() is not ("sun" or "sat" or "wed")
        && (Whole(Name().Match(word), word) || Whole(WeekPart().Match(word), word));

    /// <summary>
    /// Whether a sentence is about an exception to the usual — one or two days ("On Sundays we open
    /// at 10 am"), or a season or occasion ("During Ramadan…", "on public holidays") — rather than
    /// the usual itself ("Monday to Saturday from 8 am").
    /// </summary>
    public static bool IsSpecialCase(string sentence) => In(sentence).Count is > 0 and <= 2 || NamesPeriod(sentence);

    /// <summary>Whether a text names when it asks about: a day, or a season or occasion ("in Ramadan", "roza", "on Eid").</summary>
    public static bool NamesWhen(string text) => In(text).Count > 0 || NamesPeriod(text);

    private static bool NamesPeriod(string text) => Period().IsMatch(text);

    private static bool Whole(Match match, string word) => match.Success && match.Length == word.Length;

    // "sat", "saturday", "saturdays", "Sat." → 5.
    private static int Day(string word) => Array.FindIndex(Days, d => d.StartsWith(word.ToLowerInvariant()[..3], StringComparison.Ordinal));

    [GeneratedRegex(@"\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\s*(?:to|till|until|through|-|–|—)\s*(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Range();

    [GeneratedRegex(@"\b(?:mon|tues?|wed|weds|thu|thurs?|fri|sat|sun)(?:day)?s?\b|\bwednesdays?\b|\bthursdays?\b|\bsaturdays?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Name();

    [GeneratedRegex(@"\bweekdays?\b|\bweekends?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WeekPart();

    // Seasons and occasions a business keeps other hours for, in English and Roman Urdu.
    [GeneratedRegex(@"\b(ramadan|ramzan|ramazan|roza|rozay|rozon|roze|sehri|iftar|eid|holidays?|christmas|new year'?s?|diwali|easter)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Period();
}
