using System.Text.RegularExpressions;
using LeadsPeer.Core.Catalog;
using LeadsPeer.Core.Orders;

namespace LeadsPeer.Core.Bookings;

/// <summary>
/// Whether a customer's words ask to come for one of the business's services — "I'd like to come
/// in for a cake consultation", "any free time for a tasting next week?" — or speak of their own
/// booking of one: "cancel my consultation", "what time is my tasting?". The local answerer reads
/// these with the business's own service names, as it reads orders with the catalog's items
/// (<see cref="OrderingRequest"/>). A question about a service ("how much is a tasting?", "how long
/// does a consultation take?") is not a request: the knowledge answers it.
/// </summary>
public static partial class BookingRequest
{
    /// <summary>Words that ask to have something or to come: a booking, if they name a service (<see cref="Named"/>).</summary>
    public static bool IsRequest(string? text) =>
        text is not null && (OrderingRequest.IsRequest(text) || Asks().IsMatch(text)) && !AsksAbout().IsMatch(text);

    /// <summary>
    /// The services the words name: those whose every word is there ("the kids baking class");
    /// failing that, those named as a product is (<see cref="ProductNames.Named"/>: "a baking class"
    /// names every baking class, and the flow asks which) or by their last word — the kind of
    /// service, "a tasting" for the cake tasting — when no other service's name ends with it.
    /// </summary>
    public static IReadOnlyList<BookableService> Named(string? text, IReadOnlyList<BookableService> services)
    {
        var words = ProductNames.Words(text);
        if (words.Count == 0)
        {
            return [];
        }

        var whole = services.Where(s => ProductNames.Words(s.Name) is { Count: > 0 } parts && parts.All(words.Contains)).ToList();
        return whole.Count > 0 ? whole : [.. services.Where(s => ProductNames.Named(words, s.Name) || words.Contains(KindOf(s, services) ?? ""))];
    }

    /// <summary>
    /// Whether the words speak of the customer's own booking of a service: "my" before its name or
    /// its kind, one word apart at most ("my cake tasting", "my consultation on Friday").
    /// </summary>
    public static bool NamesOwn(string? text, IReadOnlyList<BookableService> services)
    {
        if (text is null)
        {
            return false;
        }

        var owned = Own().Matches(text).SelectMany(m => new[] { m.Groups[1].Value, m.Groups[2].Value })
            .Where(w => w.Length > 0).Select(w => ProductNames.Singular(w.ToLowerInvariant())).ToHashSet();
        return owned.Count > 0 && services.Any(s => ProductNames.Words(s.Name) is { Count: > 0 } parts && owned.Contains(parts[^1]));
    }

    /// <summary>A service's last word, when it tells the service apart: no other service ends with it.</summary>
    private static string? KindOf(BookableService service, IReadOnlyList<BookableService> services)
    {
        var kind = ProductNames.Words(service.Name) is { Count: > 1 } parts ? parts[^1] : null;
        return kind is { Length: >= 4 } && services.Count(s => ProductNames.Words(s.Name) is { Count: > 0 } other && other[^1] == kind) == 1 ? kind : null;
    }

    // Asking to come or for a time: "come in", "free time", "any openings", "available", "a slot".
    [GeneratedRegex(@"\b(?:come (?:in|by|over|round)|free (?:time|times|slot|slots)|any (?:time|times|slot|slots|opening|openings)|openings?|availability|available|slots?|book|booking|schedule|reserve|appointment)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Asks();

    // About the service itself: its price or its length.
    [GeneratedRegex(@"\b(?:how much|price|prices|cost|costs|charge|how long|what is|what's)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AsksAbout();

    // "my tasting", "my cake tasting": the word after "my" and the one after that.
    [GeneratedRegex(@"\bmy\s+([\p{L}]+)(?:\s+([\p{L}]+))?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Own();
}
