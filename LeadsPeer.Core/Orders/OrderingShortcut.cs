using System.Globalization;
using System.Text.RegularExpressions;
using Keys = LeadsPeer.Core.Orders.OrderingKeys;

namespace LeadsPeer.Core.Orders;

/// <summary>
/// What a customer's typed words say about an item: how many ("2", "a", "two") and the words
/// that may name it ("chocolate fudge 1kg"), with the ordering phrase, polite words and the day
/// they want it left out. A number followed by a unit ("2 kg") is part of the item, not the
/// quantity.
/// </summary>
public sealed partial record OrderingShortcut(int? Quantity, string? Text)
{
    private static readonly HashSet<string> Filler = new(StringComparer.OrdinalIgnoreCase)
    {
        "i", "id", "i'd", "we", "would", "like", "want", "to", "order", "buy", "get", "have", "please", "pls", "can", "could", "may", "me", "us",
        "a", "an", "the", "some", "of", "for", "and", "with", "hi", "hello", "hey", "salam", "thanks", "thank", "you", "today", "tomorrow", "tonight",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "now", "new", "place", "make", "start", "online",
        "chahiye", "chahiyay", "chahye", "chahie", "chaiye", "bhej", "bhejo", "bhejein", "bhijwa", "bhijwayen", "dein", "den", "de",
    };

    private static readonly Dictionary<string, int> NumberWords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["a"] = 1, ["an"] = 1, ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7, ["eight"] = 8, ["nine"] = 9, ["ten"] = 10,
        // Roman Urdu; "do" (two) only where it opens the item (below), since English has the word too.
        ["ek"] = 1, ["teen"] = 3, ["char"] = 4, ["chaar"] = 4, ["paanch"] = 5, ["panch"] = 5, ["chay"] = 6, ["chhe"] = 6, ["saat"] = 7, ["aath"] = 8, ["nau"] = 9, ["das"] = 10,
    };

    private static readonly HashSet<string> Pronouns = new(StringComparer.OrdinalIgnoreCase) { "you", "u", "we", "i", "they", "your", "it" };

    public static OrderingShortcut Read(string? text, IReadOnlyList<string> phrases)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new OrderingShortcut(null, null);
        }

        var rest = phrases.Aggregate(text.ToLowerInvariant(), (t, phrase) => Regex.Replace(t, $@"\b{Regex.Escape(phrase)}\b", " "));
        int? quantity = null;
        var words = new List<string>();
        var tokens = Tokens().Matches(rest).Select(m => m.Value).ToList();
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var unitFollows = i + 1 < tokens.Count && Unit().IsMatch(tokens[i + 1]);
            if (quantity is null && !unitFollows && HowMany(tokens, i) is { } n)
            {
                quantity = n;
                continue;
            }

            if (!Filler.Contains(token))
            {
                words.Add(token);
            }
        }

        return new OrderingShortcut(quantity, words.Count == 0 ? null : string.Join(' ', words));
    }

    /// <summary>The number the token at <paramref name="i"/> says, if it is one.</summary>
    private static int? HowMany(List<string> tokens, int i) =>
        int.TryParse(tokens[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
        : NumberWords.TryGetValue(tokens[i], out var word) ? word
        // Roman-Urdu "do sourdough" is two loaves; English "do you have…" is not.
        : i == 0 && tokens[i] == "do" && i + 1 < tokens.Count && !Pronouns.Contains(tokens[i + 1]) ? 2
        : null;

    /// <summary>
    /// The parts of a message that may name several items — "3 croissants and a sourdough loaf",
    /// "2 fudge cakes, 1 red velvet", "2 croissant aur 1 loaf" — each read as <see cref="Read"/>
    /// reads one, split on "and", commas, "&amp;", "+" and Roman Urdu "aur". A part with no words
    /// left (only the ordering phrase) is dropped.
    /// </summary>
    public static IReadOnlyList<OrderingShortcut> ReadSeveral(string? text, IReadOnlyList<string> phrases) =>
        string.IsNullOrWhiteSpace(text) ? [] : [.. Separator().Split(text).Select(part => Read(part, phrases)).Where(part => part.Text is not null)];

    /// <summary>A quantity typed as digits or a word ("3", "three"); null when there is none.</summary>
    public static string? Number(string? text) =>
        text is null ? null
        : int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n.ToString(CultureInfo.InvariantCulture)
        : NumberWords.TryGetValue(text.Trim(), out var word) && text.Trim().Length > 2 ? word.ToString(CultureInfo.InvariantCulture)
        : null;

    /// <summary>The cart choice typed instead of tapped.</summary>
    public static string? CartWord(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "checkout" or "check out" or "that's all" or "thats all" or "done" or "pay" => Keys.Checkout,
        "add" or "add more" or "more" => Keys.Add,
        "change" or "change cart" or "edit" => Keys.Change,
        "empty" or "empty the cart" or "clear" => Keys.Empty,
        _ => null,
    };

    public static string? FulfilmentWord(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "delivery" or "deliver" or "deliver it" or "home delivery" => Keys.Delivery,
        "pickup" or "pick up" or "collect" or "collection" or "i'll collect" or "takeaway" => Keys.Pickup,
        _ => null,
    };

    public static bool IsYes(string? text) => text?.Trim().Trim('.', '!').ToLowerInvariant() is "yes" or "confirm" or "ok" or "okay" or "yes please" or "confirmed";

    [GeneratedRegex(@"[\p{L}\p{N}']+")]
    private static partial Regex Tokens();

    [GeneratedRegex(@"\s*(?:,|&|\+|\band\b|\baur\b)\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Separator();

    [GeneratedRegex(@"^(kg|kgs|kilos?|kilograms?|g|gm|gms|grams?|l|ltr|litres?|liters?|ml|lb|lbs|pounds?|oz|pcs?|pieces?|packs?|inch|inches|in|cm|m)$")]
    private static partial Regex Unit();
}
