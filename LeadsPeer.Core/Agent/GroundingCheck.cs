using System.Globalization;
using System.Text.RegularExpressions;

namespace LeadsPeer.Core.Agent;

/// <summary>
/// Prices, times, phone numbers and links come from the business, never from a model: every one
/// in an answer must appear in the passages the answer used or in the customer's own words
/// (after normalising — digits and separators, <c>9 am</c> = <c>9:00</c>, currency symbols and
/// words). An answer that names one they do not is not sent; the turn goes to the team.
/// </summary>
public static partial class GroundingCheck
{
    /// <summary>The first fact of <paramref name="answer"/> that none of <paramref name="sources"/> has, in words for the team; null when all are grounded.</summary>
    public static string? Ungrounded(string answer, IEnumerable<string> sources)
    {
        var known = string.Join("\n", sources);
        var knownNumbers = Numbers(known).ToHashSet();
        var knownTimes = Times(known).ToHashSet();
        var knownPhones = Phones(known).ToHashSet();
        var knownLinks = Links(known).ToHashSet(StringComparer.OrdinalIgnoreCase);

        foreach (var link in Links(answer).Where(l => !knownLinks.Contains(l)))
        {
            return $"the link {link}";
        }

        foreach (var phone in Phones(answer).Where(p => !knownPhones.Contains(p)))
        {
            return $"the phone number ending {phone[^Math.Min(4, phone.Length)..]}";
        }

        foreach (var time in Times(answer).Where(t => !knownTimes.Contains(t)))
        {
            return $"the time {time}";
        }

        foreach (var price in Prices(answer).Where(p => !knownNumbers.Contains(p)))
        {
            return $"the price {price}";
        }

        return null;
    }

    /// <summary>Whether the text holds a phone number, a time, or a price (as the check reads them).</summary>
    internal static bool HasPhone(string text) => Phones(text).Any();

    /// <inheritdoc cref="HasPhone"/>
    internal static bool HasTime(string text) => Times(text).Any();

    /// <inheritdoc cref="HasPhone"/>
    internal static bool HasPrice(string text) => Price().IsMatch(text);

    private static IEnumerable<string> Links(string text) =>
        Link().Matches(text).Select(m => m.Value.TrimEnd('.', ',', ')', ']', '!', '?').ToLowerInvariant().Replace("https://", "").Replace("http://", "").TrimEnd('/'));

    private static IEnumerable<string> Phones(string text) =>
        Phone().Matches(text).Where(m => !Date().IsMatch(m.Value)).Select(m => new string([.. m.Value.Where(char.IsAsciiDigit)])).Where(d => d.Length >= 7);

    /// <summary>Times as 24-hour <c>H:MM</c>: "9 am", "9:00", "09:00" and "9.00am" are one time.</summary>
    private static IEnumerable<string> Times(string text)
    {
        foreach (Match m in Time().Matches(text))
        {
            var hour = int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture);
            var minute = m.Groups["m"].Success ? int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
            var half = m.Groups["ampm"].Value.ToLowerInvariant();
            if (!m.Groups["m"].Success && half.Length == 0)
            {
                continue;
            }

            hour = half switch
            {
                "pm" when hour < 12 => hour + 12,
                "am" when hour == 12 => 0,
                _ => hour,
            };
            if (hour <= 24 && minute < 60)
            {
                yield return $"{hour}:{minute:00}";
            }
        }
    }

    /// <summary>The amounts next to a currency sign or word, as numbers without separators.</summary>
    private static IEnumerable<string> Prices(string text) =>
        Price().Matches(text).Select(m => Normalise(m.Groups["a"].Success ? m.Groups["a"].Value : m.Groups["b"].Value));

    /// <summary>Every number of the sources, so a price matches whatever words surround it there.</summary>
    private static IEnumerable<string> Numbers(string text) => Number().Matches(text).Select(m => Normalise(m.Value));

    private static string Normalise(string number)
    {
        var plain = number.Replace(",", "").Replace(" ", "");
        return decimal.TryParse(plain, NumberStyles.Number, CultureInfo.InvariantCulture, out var value)
            ? value.ToString("0.##", CultureInfo.InvariantCulture)
            : plain;
    }

    [GeneratedRegex(@"\bhttps?://[^\s<>""]+|\bwww\.[^\s<>""]+", RegexOptions.IgnoreCase)]
    private static partial Regex Link();

    [GeneratedRegex(@"\+?\d[\d\s().-]{6,}\d")]
    private static partial Regex Phone();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}")]
    private static partial Regex Date();

    [GeneratedRegex(@"\b(?<h>\d{1,2})(?:[:.](?<m>\d{2}))?\s?(?<ampm>am|pm|a\.m\.|p\.m\.)?(?![\d%])", RegexOptions.IgnoreCase)]
    private static partial Regex Time();

    [GeneratedRegex(@"(?:[$€£₹]|\b(?:rs\.?|pkr|usd|eur|gbp|inr|aed|sar)\s?)(?<a>\d[\d,]*(?:\.\d+)?)|(?<b>\d[\d,]*(?:\.\d+)?)\s?(?:\b(?:rs|rupees?|pkr|dollars?|euros?|pounds?|usd|eur|gbp|aed|sar)\b|[$€£])", RegexOptions.IgnoreCase)]
    private static partial Regex Price();

    [GeneratedRegex(@"\d[\d,]*(?:\.\d+)?")]
    private static partial Regex Number();
}
