using System.Text.RegularExpressions;

namespace LeadsPeer.Core.Agent;

/// <summary>The kind of fact a question asks for, when it asks for one a sentence can be seen to hold.</summary>
public enum AnswerKind
{
    None,
    Phone,
    Address,
    Price,
    Time,

    /// <summary>How long ahead something must be asked for: "how many days' notice?", "how far ahead?".</summary>
    Notice,
}

/// <summary>
/// What a question asks for — a phone number, an address, a price, a time — and whether a
/// sentence holds one. "What is your phone number?" shares no word with "You can call the shop
/// on 042 3571 2345", and a sentence model scores them far apart; the number in the sentence is
/// what answers it. Read from the customer's words after <see cref="AgentWords.Normalise"/>
/// ("kitne ki" is "how much"), so both providers and the evaluation read them alike.
/// </summary>
public static partial class AnswerKinds
{
    public static AnswerKind Asked(string question) =>
        PhoneQuestion().IsMatch(question) ? AnswerKind.Phone
        : AddressQuestion().IsMatch(question) ? AnswerKind.Address
        : PriceQuestion().IsMatch(question) ? AnswerKind.Price
        : NoticeQuestion().IsMatch(question) ? AnswerKind.Notice
        : TimeQuestion().IsMatch(question) ? AnswerKind.Time
        : AnswerKind.None;

    /// <summary>Whether <paramref name="sentence"/> holds a fact of <paramref name="kind"/> (never for <see cref="AnswerKind.None"/>).</summary>
    public static bool Holds(string sentence, AnswerKind kind) => kind switch
    {
        AnswerKind.Phone => GroundingCheck.HasPhone(sentence),
        AnswerKind.Address => StreetAddress().IsMatch(sentence) || AddressWords().IsMatch(sentence),
        AnswerKind.Price => GroundingCheck.HasPrice(sentence),
        AnswerKind.Time => GroundingCheck.HasTime(sentence),
        AnswerKind.Notice => Span().IsMatch(sentence),
        _ => false,
    };

    // "your phone number", "contact no.", "how can I call you", a landline — not "do you repair phones?".
    [GeneratedRegex(@"\b(phone|telephone|contact|mobile|cell|whatsapp|landline)\s*(number|no\b|#)|\b(call|ring|phone|reach)\s+(you|u|the\s+(shop|store|office|bakery|salon|clinic))\b|\byour\s+(number|phone)\b|\blandline\b", RegexOptions.IgnoreCase)]
    private static partial Regex PhoneQuestion();

    // "where is your shop?", "what's your address", "where are you located", "where's the bakery?", "which road is it on?" — not "where is my order?".
    [GeneratedRegex(@"\bwhere\s+(is|are|r)\s+(you|u|your|ur)\b|\bwhere\s*('s|’s|\s+is)\s+(the|your|ur)\s+(shop|store|outlet|branch|office|clinic|salon|bakery|restaurant|cafe|café|showroom|studio|gym|pharmacy|workshop)\b|\bwhere\b.{0,20}\b(located|situated)\b|\b(your|ur|the\s+shop's|shop)\s+(address|location)\b|\baddress\b|\bdirections\b|\bfind\s+(you|your\s+(shop|store|office))\b|\b(which|what)\s+(road|street)\b", RegexOptions.IgnoreCase)]
    private static partial Regex AddressQuestion();

    // "how much", "price", and the currency itself: "is the sourdough still 450 rupees?".
    [GeneratedRegex(@"\b(how\s+much|price|prices|cost|costs|rate|rates|charges?|fees?|rupees?|rs|pkr)\b", RegexOptions.IgnoreCase)]
    private static partial Regex PriceQuestion();

    // "how many days' notice", "how far ahead should I tell you", "how early do I need to order", "is
    // Thursday too soon to get a cake made?" — a span of time before, not a clock time; not "how long
    // will a loaf keep?".
    [GeneratedRegex(@"\b(how\s+much|advance|days?|hours?|weeks?)('|’)?\s+notice\b|\bnotice\s+period\b|\bhow\s+(far|long|many\s+(days|hours|weeks))\s+(ahead|in\s+advance|before|beforehand|earlier)\b|\bhow\s+(early|soon|far\s+ahead|far\s+in\s+advance)\b[^?]{0,30}\b(order|book|tell|let\s+you\s+know|inform|confirm)\b|\btoo\s+soon\b[^?]{0,40}\b(order|book|get|make|made|have)\b|\b(order|book)\w*\b[^?]{0,40}\btoo\s+soon\b|\benough\s+notice\b", RegexOptions.IgnoreCase)]
    private static partial Regex NoticeQuestion();

    // A span: "48 hours", "2 days", "a week", "three weeks".
    [GeneratedRegex(@"\b(\d+|an?|one|two|three|four|five|six|seven|ten|twelve|twenty-four|forty-eight)\s+(hours?|hrs?|days?|weeks?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Span();

    [GeneratedRegex(@"\b(what\s+time|how\s+early|how\s+late|when|till|until|timings?|hours|open|close|closing|opening)\b", RegexOptions.IgnoreCase)]
    private static partial Regex TimeQuestion();

    // A house number and a street word: "12 Main Boulevard", "Plot 4, MM Alam Road", "Shop 7 Liberty Market".
    [GeneratedRegex(@"\b\d+[A-Za-z]?(/\d+)?,?\s+([\p{Lu}][\p{L}'.-]*\s+){0,3}(Road|Rd|Street|St|Boulevard|Blvd|Avenue|Ave|Lane|Ln|Drive|Block|Plaza|Market|Mall|Sector|Phase|Floor|Square|Chowk|Bazaar|Highway)\b")]
    private static partial Regex StreetAddress();

    [GeneratedRegex(@"\b(located|situated)\s+(at|in|on|near)\b|\b(visit|find)\s+us\s+(at|in|on)\b|\bour\s+address\b", RegexOptions.IgnoreCase)]
    private static partial Regex AddressWords();
}
