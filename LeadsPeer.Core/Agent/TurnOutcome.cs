using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;

namespace LeadsPeer.Core.Agent;

/// <summary>
/// What the agent did with a customer's turn — the same four outcomes with or without a
/// language model, recorded on the turn's reply (operators see why) and counted.
/// </summary>
public enum TurnOutcome
{
    /// <summary>Answered: from the knowledge (with sources), or a greeting or thanks.</summary>
    Answer,

    /// <summary>Outside what the business does: one polite sentence saying what it can help with; no one is paged, the conversation stays with the AI.</summary>
    Decline,

    /// <summary>Needs a person: asked for one, in scope but not in the knowledge, or a decision the AI must not take.</summary>
    HandOff,

    /// <summary>A guided flow (ordering, booking) started or moved on.</summary>
    Flow,
}

/// <summary>
/// What a turn's words say before any search: a greeting or thanks on its own, or an attempt to
/// change the agent's instructions. Plain word lists, so both providers read a turn alike.
/// </summary>
public static partial class TurnSignals
{
    private static readonly Counter<long> Turns = CoreTelemetry.Meter.CreateCounter<long>("leadspeer.agent.turns", description: "Customer turns the agent decided, by outcome");

    public static void Count(TurnOutcome outcome) => Turns.Add(1, new KeyValuePair<string, object?>("outcome", outcome.ToString()));

    /// <summary>Only a greeting ("hi", "good morning", "salam"), nothing asked.</summary>
    public static bool IsGreeting(string text) => Greeting().IsMatch(Normalise(text));

    /// <summary>Only thanks or a goodbye ("thanks!", "shukriya", "bye").</summary>
    public static bool IsThanks(string text) => Thanks().IsMatch(Normalise(text));

    /// <summary>
    /// A question about how the business trades — orders, paying, prices, delivery, opening
    /// hours, where it is, parking and seating, returns, stock, bookings, its menu, what is in what
    /// it sells, how it makes and packs it and where that comes from ("sugar-free", "halal", "which
    /// flour do you bake with?", "is your packaging plastic-free?", "where do you source your
    /// butter?"): always the business's subject, whatever it sells, so an unanswered one goes to
    /// the team rather than being declined.
    /// </summary>
    public static bool IsAboutTrading(string text) => Trading().IsMatch(text);

    /// <summary>
    /// The only trading words in <paramref name="text"/> also name things other businesses do —
    /// "book" a flight, an "exchange" rate, a "return" ticket, a "reservation" at a restaurant — so
    /// they say the question is this business's only when it also names something its knowledge has.
    /// </summary>
    public static bool TradesOnlyInWordsWithOtherSenses(string text) =>
        Trading().Matches(text) is { Count: > 0 } words && words.All(m => OtherSenses().IsMatch(m.Value));

    /// <summary>A short turn that leans on the one before ("and on Sunday?", "what about delivery?"): searched together with it.</summary>
    public static bool IsFollowUp(string text) => text.Length <= 60 && FollowUp().IsMatch(text.Trim());

    /// <summary>
    /// Written mostly in a script other than Latin (Arabic, Urdu, Devanagari, Chinese…): the local
    /// model reads English-like text only, so it hands such a turn to the team rather than guess.
    /// </summary>
    public static bool IsMostlyNonLatin(string text)
    {
        int letters = 0, latin = 0;
        foreach (var c in text)
        {
            if (char.IsLetter(c))
            {
                letters++;
                latin += c <= '\u024F' ? 1 : 0;
            }
        }

        return letters >= 2 && latin * 2 < letters;
    }

    /// <summary>Words that try to replace the agent's instructions (they are declined, whatever else the turn asks).</summary>
    public static bool IsInjection(string text) => Injection().IsMatch(text);

    /// <summary>
    /// A refund asked for, a complaint, something that arrived damaged or wrong: a decision for the
    /// business's people, whatever a policy passage says — the agent hands these over rather than
    /// quoting the nearest rule at an unhappy customer. A question about the policy itself ("what
    /// is your refund policy?") is answered from the knowledge as usual.
    /// </summary>
    public static bool NeedsDecision(string text) => Decision().IsMatch(text);

    /// <summary>A word that asks for a lower price: a discount the knowledge does not offer is the business's decision.</summary>
    public static bool IsDiscountWord(string word) => word.ToLowerInvariant() is "discount" or "discounts" or "concession" or "rebate" or "rebates";

    [GeneratedRegex(@"\b(i\s+(want|need|would like|demand|expect)|give me|get|getting|asking for|request|claim)\b[^.?!]{0,30}\b(refund|money back|replacement)\b|\bcomplain(t|ts|ed|ing)?\b|\barrived\s+(damaged|broken|wrong|late|cold|melted)\b|\b(was|is|were|are)\s+(damaged|broken|wrong|missing|spoiled|stale)\b|\bcompensation\b|\b(over-?charged|charged\s+(me\s+|us\s+)?twice|double[-\s]charged)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Decision();

    /// <summary>
    /// "agent", "talk to an agent": on WhatsApp the word asks for a person. Only so in a request —
    /// "are you an AI agent?" or "your delivery agent" is not one. "Talk to someone", "connect me to
    /// your manager", "can an agent call me back?", "is there an agent I can chat with?" ask for a
    /// person as plainly, and so does Roman Urdu "insaan se baat karni hai" (talk to a human),
    /// "pass me on to somebody who works there" and "have your manager get in touch".
    /// </summary>
    public static bool AsksForAgent(string text) => AgentRequest().IsMatch(text);

    [GeneratedRegex(@"^\W*(please\s+)?((an?|the|live|real|human)\s+)*agent(\s+please)?\W*$|\b(talk|speak|chat|connect)\b(\s+\w+){0,3}\s+(an?|the|real|live|human)\s+agent\b|\b(talk|speak|chat|connect|transfer|put)\b(\s+\w+){0,3}?\s+(to|with)\s+(someone|somebody|(an?|the|your)\s+(real\s+|live\s+)?(manager|supervisor|agent|owner|boss|staff\s+member|team\s+member)|(your\s+)?staff)\b|\b(an?|the|your)\s+(agent|manager|representative|supervisor|staff\s+member|team\s+member|employee|owner|boss)\s+((call|ring|phone|contact|text|message)\s+(me|us)|get\s+in\s+touch|reach\s+out|get\s+back\s+to\s+(me|us))\b|\b(someone|somebody)\s+(call|ring|phone)\s+(me|us)\s+back\b|\b(get|bring|fetch)\s+me\s+(your|the|a)\s+(manager|supervisor|boss|owner)\b|\bthere\s+(an?|any)\s+((real|live|human)\s+)?(agent|person|human)\s+(i|we)\s+(can|could)\s+(talk|speak|chat)\b|\b(insaan|insan|bande|banday|admi|aadmi|kisi)\s+se\s+baat\b|\b(asli|real)\s+(banda|bande|banday|insaan|insan|aadmi|admi)\b|\bbot\s+nahi\b|\b(actual|real)\s+(employees?|staff|people|humans?)\b[^.?!]{0,30}\b(online|available|around|there|reply|replying|answer|answering|help)\b|\b(talk|speak|chat)\b[^.?!]{0,20}\b(actual|real)\s+(employees?|staff|people|humans?)\b|\b(don'?t|do\s+not)\s+want\s+(the\s+|an?\s+)?(automated|auto|bot|robot|machine)\b|\b(pass|put|hand|transfer)\s+me\s+(on\s+|over\s+|through\s+)?to\s+(someone|somebody|a\s+(person|human))\b|\b(with|to|from)\s+(someone|somebody|a\s+person)\s+who\s+works\s+(there|here|at|for)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AgentRequest();

    private static string Normalise(string text) => Punctuation().Replace(text.Trim().ToLowerInvariant(), " ").Trim();

    [GeneratedRegex(@"^((hi|hello|hey|hiya|yo|salam|salaam|assalam[ou]? ?[ao]? ?alaikum|aoa|good (morning|afternoon|evening)|hola|bonjour|hallo)( there| everyone| team)?\s*)+$")]
    private static partial Regex Greeting();

    [GeneratedRegex(@"^((thanks?( you)?( so much| a lot| very much)?|thx|ty|cheers|shukriya|shukria|jazakallah|bye|goodbye|ok(ay)?( thanks?)?|great|perfect)\s*)+$")]
    private static partial Regex Thanks();

    [GeneratedRegex(@"\b(ignore|forget|disregard)\b.{0,40}\b(instructions|rules|prompt|previous|stuff)\b|(^|\band\s+|\byou\s+|\bplease\s+)act\s+as\s+(my|an?)\s+\w+|\byou are now\b|\b(stop|quit)\s+being\s+(an?\s+|the\s+|my\s+)?(\w+\s+)?(bot|chatbot|assistant)\b|\bpretend (to be|you are)\b|\bsystem prompt\b|\bjailbreak\b|\bDAN\b", RegexOptions.IgnoreCase)]
    private static partial Regex Injection();

    [GeneratedRegex(@"\b(orders?|ordered|pay|paying|payment|paypal|card|cash|price|prices|cost|costs|charge|fee|shipping|ship|deliver(y|ies)?|courier|discounts?|coupon|voucher|sale|open|opening|hours|timings?|closed|store|shop|branch|outlet|location|address|refund|return|exchange|warranty|guarantee|stock|available|availability|book|booking|appointment|reservation|invoice|receipt|menu|parking|seating|premises|wheelchair|halal|vegan|(sugar|gluten|dairy|nut|egg)[-\s]free|ingredients?|suppliers?|source\s+your|sourced|packaging|plastic[-\s]free|(?:what|which)\s+\p{L}+\s+do\s+you\s+(?:use|fry|cook|bake))\b", RegexOptions.IgnoreCase)]
    private static partial Regex Trading();

    [GeneratedRegex(@"^(book|booking|reservation|exchange|return)$", RegexOptions.IgnoreCase)]
    private static partial Regex OtherSenses();

    [GeneratedRegex(@"^(and|also|what about|how about|and what about|or)\b", RegexOptions.IgnoreCase)]
    private static partial Regex FollowUp();

    [GeneratedRegex(@"[^\p{L}\p{N}\s]+")]
    private static partial Regex Punctuation();
}
