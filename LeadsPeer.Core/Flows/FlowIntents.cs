using System.Text.RegularExpressions;
using LeadsPeer.Core.Agent;

namespace LeadsPeer.Core.Flows;

/// <summary>
/// Which guided flow a customer's words ask for — the same rule whichever provider answers the
/// turn: a flow's own trigger phrases and the ones the business added in its agent settings,
/// matched on whole words after the common and the business's synonyms are read
/// (<see cref="AgentWords"/>), with one slip forgiven in a long word ("apointment"), in the order
/// the flows are registered. A question about a flow's terms ("how early do I need to order?")
/// starts no flow that leaves those to the knowledge (<see cref="IGuidedFlow.LeavesTermsToKnowledge"/>).
/// </summary>
public static partial class FlowIntents
{
    /// <summary>Words shorter than this must be spelt right: one letter off in a short word is another word.</summary>
    private const int ForgivingLength = 6;

    /// <summary>The flows whose phrases a business may extend, by name.</summary>
    public static readonly IReadOnlyList<string> Configurable =
        [Orders.OrderingFlow.FlowName, Bookings.BookingFlow.FlowName, Bookings.MyBookingsFlow.FlowName, TalkToPersonFlow.FlowName];

    /// <summary>The first flow the words name, or null.</summary>
    public static IGuidedFlow? Named(IEnumerable<IGuidedFlow> flows, string? text, AgentSettings? settings) =>
        Naming(flows, text, settings).FirstOrDefault();

    /// <summary>Every flow the words name, in the order the flows are registered (the words are read once).</summary>
    public static IEnumerable<IGuidedFlow> Naming(IEnumerable<IGuidedFlow> flows, string? text, AgentSettings? settings)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var normalised = AgentWords.Normalise(text, settings?.SynonymTable());
        var words = Words(normalised);
        var asksTerms = TermsQuestion().IsMatch(normalised);
        return flows.Where(f => !(asksTerms && f.LeavesTermsToKnowledge) && Matches(f, words, settings));
    }

    /// <summary>Whether the words name <paramref name="flow"/>.</summary>
    public static bool Names(IGuidedFlow flow, string? text, AgentSettings? settings) => Naming([flow], text, settings).Any();

    /// <summary>The flow's phrases and the business's own for it.</summary>
    public static IEnumerable<string> TriggersOf(IGuidedFlow flow, AgentSettings? settings) =>
        settings is null ? flow.Triggers : flow.Triggers.Concat(settings.TriggersFor(flow.Name));

    private static bool Matches(IGuidedFlow flow, string[] words, AgentSettings? settings) =>
        TriggersOf(flow, settings).Any(trigger => Contains(words, Words(trigger.ToLowerInvariant())));

    /// <summary>Whether <paramref name="phrase"/>'s words appear in a row in <paramref name="words"/>.</summary>
    private static bool Contains(string[] words, string[] phrase)
    {
        if (phrase.Length == 0)
        {
            return false;
        }

        for (var start = 0; start + phrase.Length <= words.Length; start++)
        {
            var i = 0;
            while (i < phrase.Length && Same(words[start + i], phrase[i]))
            {
                i++;
            }

            if (i == phrase.Length)
            {
                return true;
            }
        }

        return false;
    }

    // "*" in a phrase stands for any one word: "my * appointment" is "my tasting appointment".
    private static bool Same(string written, string meant) =>
        meant == "*" || written == meant || (meant.Length >= ForgivingLength && written.Length >= ForgivingLength - 1 && written[0] == meant[0] && OneEditApart(written, meant));

    /// <summary>One letter added, dropped, changed, or two neighbours swapped.</summary>
    private static bool OneEditApart(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 1)
        {
            return false;
        }

        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
        {
            i++;
        }

        if (a.Length == b.Length)
        {
            return a[(i + 1)..] == b[(i + 1)..]
                   || (i + 1 < a.Length && a[i] == b[i + 1] && a[i + 1] == b[i] && a[(i + 2)..] == b[(i + 2)..]);
        }

        return a.Length > b.Length ? a[(i + 1)..] == b[i..] : a[i..] == b[(i + 1)..];
    }

    // A question about a flow's terms: lead time, notice, the least one may order.
    [GeneratedRegex(@"\bhow\s+(early|soon|long|far|late|many\s+(days|hours|weeks))\b|\bin\s+advance\b|\b(by|until|till)\s+when\b|\b(do|should|must)\s+(i|we)\s+(need|have)\s+to\b|\bhow\s+much\s+notice\b|\bminimum\b|\blast\s+(time|day)\s+to\b")]
    private static partial Regex TermsQuestion();

    private static string[] Words(string text) => [.. WordPattern().Matches(text).Select(m => m.Value)];

    [GeneratedRegex(@"[\p{L}\p{N}']+|\*")]
    private static partial Regex WordPattern();
}
