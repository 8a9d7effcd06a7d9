using LeadsPeer.Core.Bookings;

namespace LeadsPeer.Web.Components.Pages.BookingSetup;

/// <summary>
/// Hours as the set-up forms write them: "09:00-13:00, 14:00-17:00" for a day (empty: closed), and
/// a special day per line, "2027-03-30..2027-04-01 | Eid | closed". Only split here; the server
/// checks every value and names the wrong ones.
/// </summary>
public static class HoursWords
{
    public static IReadOnlyList<HoursRange> Ranges(string? text) =>
        [.. (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(r => !r.Equals("closed", StringComparison.OrdinalIgnoreCase))
            .Select(r => r.Split(['-', '–'], 2, StringSplitOptions.TrimEntries) is [var from, var to] ? new HoursRange(from, to) : new HoursRange(r, ""))];

    public static string Write(IReadOnlyList<HoursRange>? ranges) => string.Join(", ", (ranges ?? []).Select(r => $"{r.From}-{r.To}"));

    public static IReadOnlyList<SpecialDays> Specials(string? text) =>
        [.. (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line =>
        {
            var parts = line.Split('|', StringSplitOptions.TrimEntries);
            var dates = parts[0].Split("..", 2, StringSplitOptions.TrimEntries);
            return new SpecialDays(dates[0], dates.Length > 1 ? dates[1] : dates[0], parts.Length > 1 && parts[1].Length > 0 ? parts[1] : null, Ranges(parts.Length > 2 ? parts[2] : ""));
        })];

    public static string Write(IReadOnlyList<SpecialDays> specials) => string.Join("\n", specials.Select(s =>
        $"{s.From}{(s.To == s.From ? "" : $"..{s.To}")} | {s.Name} | {(s.Hours.Count == 0 ? "closed" : Write(s.Hours))}"));

    /// <summary>The week's days in order, as the API names them.</summary>
    public static readonly IReadOnlyList<string> Days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    /// <summary>The first refusal under <paramref name="prefix"/> ("weekly.monday" covers "weekly.monday[0]").</summary>
    public static string? ErrorUnder(IReadOnlyDictionary<string, string[]>? errors, string prefix) =>
        errors?.FirstOrDefault(e => e.Key == prefix || e.Key.StartsWith(prefix + ".", StringComparison.Ordinal) || e.Key.StartsWith(prefix + "[", StringComparison.Ordinal)).Value?.FirstOrDefault();
}
