using System.Text.RegularExpressions;
using LeadsPeer.Core.Agent;
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
        text is not null && (OrderingRequest.IsRequest(text) || Asks().IsMatch(text)) && !AsksAbout().IsMatch(text) && !TurnSignals.NeedsDecision(text);

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

        var names = NamesOf(services);
        var whole = names.Where(n => n.Parts.All(words.Contains)).Select(n => n.Service).ToList();
        return whole.Count > 0
            ? whole
            : [.. names.Where(n => ProductNames.Named(words, n.Service.Name) || (n.Kind is { } kind && words.Contains(kind))).Select(n => n.Service)];
    }

    /// <summary>Whether the words hold "my" (or "our", "the … I booked") before a word at all; without it no service needs looking up (<see cref="NamesOwn"/>).</summary>
    public static bool SpeaksOfOwn(string? text) => text is not null && Own().IsMatch(text);

    /// <summary>
    /// Whether the words speak of the customer's own booking of a service: "my" or "our" before its
    /// name or its kind, one word apart at most ("my cake tasting", "my consultation on Friday"), or
    /// the service that "I booked" ("call off the consultation I booked").
    /// </summary>
    public static bool NamesOwn(string? text, IReadOnlyList<BookableService> services)
    {
        if (!SpeaksOfOwn(text))
        {
            return false;
        }

        var owned = Own().Matches(text!).SelectMany(m => new[] { m.Groups["a"].Value, m.Groups["b"].Value })
            .Where(w => w.Length > 0).Select(w => ProductNames.Singular(w.ToLowerInvariant())).ToHashSet();
        return NamesOf(services).Any(n => owned.Contains(n.Parts[^1]));
    }

    /// <summary>Each service's words, read once, with its kind: its last word, when no other service's name ends with it.</summary>
    private static List<(BookableService Service, IReadOnlyList<string> Parts, string? Kind)> NamesOf(IReadOnlyList<BookableService> services)
    {
        var named = services.Select(s => (Service: s, Parts: ProductNames.Words(s.Name))).Where(n => n.Parts.Count > 0).ToList();
        var endings = named.CountBy(n => n.Parts[^1]).ToDictionary();
        return [.. named.Select(n => (n.Service, n.Parts, n.Parts is { Count: > 1 } parts && parts[^1].Length >= 4 && endings[parts[^1]] == 1 ? parts[^1] : null))];
    }

    // Asking to come or for a time: "come in", "come for the tasting", "pop in", "free time", "any openings", "any tasting spots",
    // "spots left", "room for two", "available", "a slot", "sign me up", "put me in for", "see the baker about", a day that is
    // free ("is Tuesday free?"), "arrange a consultation", "arrange to taste the cakes", "sit down with the decorator"; Roman
    // Urdu "rakh dein" (set it for), "waqt de dein" (give a time), "aa jayein" (may we come), "karwa sakte hain" (can we have
    // one), "fix kar dein" (set it up), "time mil sakta hai?" (can we get a time).
    [GeneratedRegex(@"\b(?:sign (?:me|us) up|(?:mon|tues|wednes|thurs|fri|satur|sun)day (?:(?:morning|afternoon|evening) )?(?:free|available)|(?:today|tomorrow) (?:free|available)|come (?:in|by|over|round|for)|pop (?:in|by|over|round)|drop (?:in|by)|swing by|free (?:time|times|slot|slots)|any (?:\p{L}+ )?(?:time|times|slot|slots|spot|spots|opening|openings|space|spaces)|(?:slots?|spots?|spaces?) (?:left|free|open)|put (?:me|us) (?:in|down) for|see (?:the|a|your) \p{L}+ about|aana chah\w*|aa sakt\w*|aa jay\w*|aa jaen|aa jain|karwa sakt\w*|fix kar (?:dein|dain|den|do|dena)|fix karwa\w*|sit down with|room for|arrange (?:a|an|to)|rakh (?:dein|dain|den|do|lein|lain|lo)|rakhwa (?:dein|dain|den|do)|waqt (?:de|dein|dain|den|do|chahiye)|(?:waqt|time) mil (?:sakta|sakti|jayega|jayegi|jaye|jay)\w*|time de (?:dein|dain|do)|(?:have|got) (?:any )?time|openings?|availability|available|slots?|book|booking|schedule|reserve|appointment)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Asks();

    // About the service itself: its price or its length.
    [GeneratedRegex(@"\b(?:how much|price|prices|cost|costs|charge|how long|what is|what's)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AsksAbout();

    // "my tasting", "our cake tasting", "do I still have a consultation (booked)", "which day did I
    // pick for the tasting", "what time I'm down for the tasting", "I can't make the tasting", "I'll
    // be late for the consultation", "Friday's tasting": the word after "my" or "our" (or after "do I
    // have a", "did I pick for the", "I'm down for the", "I won't be able to attend the", "late for
    // the", a day's) and the one after that; and "the consultation I booked" (or "we set up", "I've
    // got"): the word or two between "the" and "I booked"; "the tasting under my name"; Roman Urdu
    // "tasting ka din change" (the tasting's day to change) or "… ka time bhool gaya" (forgot its time);
    // "cancel the tasting", "postpone the consultation": only a booking of one's own is cancelled or moved.
    [GeneratedRegex(@"\b(?:(?:my|our|(?:do|did)\s+(?:i|we)\s+(?:still\s+)?have\s+(?:a|an|any)|(?:did|have)\s+(?:i|we)\s+(?:pick|picked|choose|chosen|book|booked|reserve|reserved|schedule|scheduled)\s+(?:for\s+)?(?:the|a|an)|(?:i'?m|i’m|i\s+am|we'?re|we’re|we\s+are)\s+down\s+for\s+(?:the|a|an)|(?:can'?t|can’t|cannot|won'?t|won’t)\s+(?:be\s+able\s+to\s+)?(?:make|attend|come\s+to|do)\s+(?:it\s+to\s+)?the|late\s+for\s+the|(?:cancel|move|reschedule|postpone)\s+the|(?:today|tomorrow|(?:mon|tues|wednes|thurs|fri|satur|sun)day)(?:'s|’s))\s+(?<a>\p{L}+)(?:\s+(?<b>\p{L}+))?|the\s+(?<a>\p{L}+)(?:\s+(?<b>\p{L}+))?\s+(?:i|we)\s+(?:have\s+|had\s+|just\s+)?(?:booked|made|scheduled|reserved|arranged|set\s+up|organi[sz]ed|fixed)\b|the\s+(?<a>\p{L}+)(?:\s+(?<b>\p{L}+))?\s+(?:i|we)(?:'ve|’ve|\s+have)\s+got\b|the\s+(?<a>\p{L}+)(?:\s+(?<b>\p{L}+))?\s+(?:under|in)\s+(?:my|our)\s+name\b|(?<a>\p{L}+)\s+(?:ka|ki|ke)\s+(?:din|time|waqt|tareekh|date)\s+(?:change|badal\w*|badl\w*|shift|bhool\w*|bhul\w*|aage|peeche)\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Own();
}
