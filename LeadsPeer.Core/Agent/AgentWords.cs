using System.Text.Json;
using System.Text.RegularExpressions;

namespace LeadsPeer.Core.Agent;

/// <summary>
/// The word tables of a business's agent settings — its synonyms and its flows' extra phrases —
/// read, checked and applied: a customer's words are read with the business's words for things
/// before the knowledge is searched and before a flow's phrases are matched.
/// </summary>
public static class AgentWords
{
    public const int MaxEntries = 100;
    public const int MaxWordsPerEntry = 20;
    public const int MaxPhrase = 64;

    /// <summary>
    /// Words customers of any business write for a few things, read before the business's own
    /// table: the paraphrase the product is known to miss ("timings" for opening hours), common
    /// Roman-Urdu requests and misspellings. Kept short on purpose — a business adds its own.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Common = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
    {
        ["opening hours"] = ["timings", "timing", "open hours", "business hours", "kab se kab tak", "kitni der tak"],
        ["how much"] = ["kitne ki", "kitne ka", "kitne ke", "kitna", "kitni", "ki qeemat", "ka rate", "ki price", "going for", "set me back", "what's the damage", "what is the damage", "kitne rupay", "kitne rupaye", "kitne rupees", "kitne paise", "kitne pese"],
        ["to order"] = ["order karna", "order karni", "order karne", "order krna", "mangwana", "mangwani", "mangwane", "to purchase"],
        ["book an appointment"] = ["appointment chahiye", "appointment leni", "appointment lena", "booking karni", "booking karna", "book karna", "book karni", "book karwana"],
        ["customer service"] = ["customer care", "help desk", "helpdesk"],
        ["photo"] = ["picture", "pic", "pics"],
        ["appointment"] = ["apointment", "appoinment", "appointmnet", "appointement"],
        ["open"] = ["khula", "khuli", "khule", "khulay", "khulta", "khulti", "khulte", "kholte", "walk in", "walk-in", "walk through your door", "walk through the door"],
        ["close"] = ["shut", "band karte", "band karti", "band krte", "band kartay"],
        ["closed"] = ["band hota", "band hoti", "band hai", "band hain", "band rehta", "band rehti"],
        ["ramadan"] = ["ramzan", "ramazan", "ramadhan", "fasting month", "month of fasting", "roza", "roze", "rozay", "rozon", "sehri", "sehari", "suhoor", "iftar", "iftari"],
        ["my"] = ["meri", "mera", "mere", "hamari", "hamara", "hamare"],
        ["delivery"] = ["rider", "delivery boy", "delivery guy", "arrives", "arrive", "pohncha", "pohnchana", "pohnchate", "pohnchaty", "pohancha", "pahuncha", "pahunchana", "pahunchate",
                         "bring it over", "bringing it over", "bring them over", "bringing them over", "at my door", "to my door", "my doorstep"],
        ["cancel"] = ["call off", "calling off", "called off", "change my mind", "changed my mind", "change of mind", "khatam kar", "khatam karna", "khatam karni", "khatam karwa",
                     "pull out of", "pulling out of"],
        ["accept"] = ["lete hain", "lete hai", "lete hen", "lete ho", "accept karte"],
        ["tasting"] = ["chakhna", "chakhne", "chakhnay", "chakhni", "taste", "try the flavours", "try a few flavours", "try some flavours", "try the flavors", "try a few flavors", "try some flavors",
                       "sample cakes", "sample the cakes", "sample some cakes", "sample a few cakes"],
        ["bank transfer"] = ["your account", "bank account", "online transfer", "ibft", "bank app", "banking app", "mobile banking"],
        ["kg"] = ["kilo"],
        ["custom"] = ["personalised", "personalized", "customised", "customized", "made-to-order", "made to order", "bespoke"],
        ["call"] = ["dial"],
        ["eggless"] = ["egg-free", "egg free", "without eggs", "without egg", "no eggs", "no egg"],
        ["card"] = ["visa", "mastercard", "master card"],
        ["pay with"] = ["swipe", "swiping"],
        ["how late"] = ["what's the latest", "what is the latest"],
        ["shop"] = ["dukaan", "dukan"],
    };

    /// <summary>A table as stored (jsonb: key → phrases); an unreadable one is empty.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new Dictionary<string, IReadOnlyList<string>>();
        }

        try
        {
            var table = JsonSerializer.Deserialize<Dictionary<string, List<string>>>(json) ?? [];
            return table.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value, StringComparer.OrdinalIgnoreCase);
        }
        catch (JsonException)
        {
            return new Dictionary<string, IReadOnlyList<string>>();
        }
    }

    /// <summary>A table to store: keys and phrases trimmed, empty ones and repeats dropped.</summary>
    public static string Write(IReadOnlyDictionary<string, IReadOnlyList<string>>? table) =>
        JsonSerializer.Serialize((table ?? new Dictionary<string, IReadOnlyList<string>>())
            .Where(e => !string.IsNullOrWhiteSpace(e.Key))
            .GroupBy(e => e.Key.Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.SelectMany(e => e.Value ?? []).Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim())
                .Distinct(StringComparer.OrdinalIgnoreCase).ToList()));

    /// <summary>Refusals for a table under <paramref name="field"/> (e.g. <c>synonyms.timings</c>); <paramref name="keys"/> limits what a key may be.</summary>
    public static void Check(string field, IReadOnlyDictionary<string, IReadOnlyList<string>>? table, Dictionary<string, string[]> errors, IReadOnlyCollection<string>? keys = null)
    {
        if (table is null)
        {
            return;
        }

        if (table.Count > MaxEntries)
        {
            errors[field] = [$"At most {MaxEntries} entries."];
            return;
        }

        foreach (var (key, phrases) in table)
        {
            if (string.IsNullOrWhiteSpace(key) || key.Trim().Length > MaxPhrase)
            {
                errors[field] = [$"Each entry is named by 1 to {MaxPhrase} characters."];
            }
            else if (keys is not null && !keys.Contains(key.Trim(), StringComparer.OrdinalIgnoreCase))
            {
                errors[$"{field}.{key}"] = [$"Not one of: {string.Join(", ", keys)}."];
            }
            else if (phrases is null || phrases.Count > MaxWordsPerEntry || phrases.Any(p => p is null || p.Trim().Length is 0 or > MaxPhrase))
            {
                errors[$"{field}.{key}"] = [$"At most {MaxWordsPerEntry} phrases of 1 to {MaxPhrase} characters each."];
            }
        }
    }

    /// <summary>
    /// The customer's words with each of the business's words for a thing read as that thing
    /// ("what are your timings" → "what are your opening hours"), in lower case; for matching phrases.
    /// </summary>
    public static string Normalise(string text, IReadOnlyDictionary<string, IReadOnlyList<string>>? synonyms)
    {
        var normalised = text.ToLowerInvariant();
        foreach (var (word, pattern) in Patterns(synonyms))
        {
            normalised = pattern.Replace(normalised, word.ToLowerInvariant());
        }

        return normalised;
    }

    /// <summary>
    /// The customer's words followed by the words they stand for, for searching the knowledge: the
    /// passage that says "opening hours" is found for "timings", and nothing the customer wrote is lost.
    /// </summary>
    public static string Expand(string text, IReadOnlyDictionary<string, IReadOnlyList<string>>? synonyms)
    {
        var meant = Patterns(synonyms)
            .Where(e => e.Pattern.IsMatch(text))
            .Select(e => e.Word)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        return meant.Count == 0 ? text : $"{text} ({string.Join(", ", meant)})";
    }

    // The common table's patterns are built once; a business's (a few entries) on each read.
    private static readonly (string Word, Regex Pattern)[] CommonPatterns = [.. Common.Select(e => (e.Key, Pattern(e.Value)))];

    private static IEnumerable<(string Word, Regex Pattern)> Patterns(IReadOnlyDictionary<string, IReadOnlyList<string>>? synonyms) =>
        CommonPatterns.Concat((synonyms ?? new Dictionary<string, IReadOnlyList<string>>()).Where(e => e.Value.Count > 0).Select(e => (e.Key, Pattern(e.Value))));

    /// <summary>
    /// Any of an entry's words, whole or with a plural ending ("riders" for "rider"), any case; the
    /// longest first, so "kitne ki" wins over "kitna". Words under three letters take no ending:
    /// "us" is not "u", nor "Rs" "r".
    /// </summary>
    private static Regex Pattern(IEnumerable<string> variants) =>
        new($@"\b({string.Join('|', variants.Select(v => v.Trim()).OrderByDescending(v => v.Length).Select(v => Regex.Escape(v) + (v.Length >= 3 ? "(?:s|es)?" : "")))})\b",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>A synonym table written one entry a line, "opening hours = timings, waqt"; null with the line that is not.</summary>
    public static (IReadOnlyDictionary<string, IReadOnlyList<string>>? Table, string? Refusal) FromLines(string? text)
    {
        var table = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (line, number) in (text ?? "").Split('\n').Select((l, i) => (l.Trim(), i + 1)).Where(l => l.Item1.Length > 0))
        {
            var parts = line.Split('=', 2);
            var words = parts.Length == 2 ? parts[1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];
            if (parts.Length != 2 || parts[0].Trim().Length == 0 || words.Length == 0)
            {
                return (null, $"Line {number}: write a word, \"=\", then the words your customers use for it, e.g. \"opening hours = timings, waqt\".");
            }

            table[parts[0].Trim()] = [.. (table.GetValueOrDefault(parts[0].Trim()) ?? []).Concat(words)];
        }

        return (table, null);
    }

    /// <summary>A synonym table as <see cref="FromLines"/> reads it.</summary>
    public static string ToLines(IReadOnlyDictionary<string, IReadOnlyList<string>> table) =>
        string.Join("\n", table.Select(e => $"{e.Key} = {string.Join(", ", e.Value)}"));
}
