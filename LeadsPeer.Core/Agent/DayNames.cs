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

    private static bool Whole(Match match, string word) => match.Success && match.Length == word.Length;

    // "sat", "saturday", "saturdays", "Sat." → 5.
    private static int Day(string word) => Array.FindIndex(Days, d => d.StartsWith(word.ToLowerInvariant()[..3], StringComparison.Ordinal));

    [GeneratedRegex(@"\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\s*(?:to|till|until|through|-|–|—)\s*(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Range();

    [GeneratedRegex(@"\b(?:mon|tues?|wed|weds|thu|thurs?|fri|sat|sun)(?:day)?s?\b|\bwednesdays?\b|\bthursdays?\b|\bsaturdays?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Name();

    [GeneratedRegex(@"\bweekdays?\b|\bweekends?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WeekPart();
}
