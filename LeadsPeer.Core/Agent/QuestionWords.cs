using System.Text.RegularExpressions;
using LeadsPeer.Core.Knowledge;

namespace LeadsPeer.Core.Agent;

/// <summary>
/// The words of a question that say what it is about — "vegan" and "croissants" in "do you have
/// vegan croissants?" — without the words any question is made of ("much", "take", "today",
/// "kya"), or numbers. A question one of whose words the
/// business's knowledge never uses is about something the knowledge does not cover, however near
/// a sentence of it reads.
/// </summary>
public static partial class QuestionWords
{
    /// <summary>Words of a question's form, in English and Roman Urdu: they say how it asks, not what about.</summary>
    private static readonly HashSet<string> Form = new(StringComparer.Ordinal)
    {
        "much", "many", "price", "prices", "cost", "costs", "take", "make", "get", "give", "offer", "pay", "need", "want", "like", "know",
        "tell", "find", "see", "come", "go", "send", "bring", "let", "help", "time", "times", "day", "days", "today", "tomorrow", "tonight",
        "morning", "afternoon", "evening", "night", "week", "weekend", "now", "soon", "early", "late", "long", "later", "near", "nearby",
        "ago", "still", "also", "any", "some", "per", "each", "every", "more", "less", "most", "least", "very", "too", "only", "something",
        "anything", "thing", "things", "one", "way", "possible", "available", "okay",
        "ok", "yes", "sure", "kind", "type", "number", "phone", "landline", "telephone", "address", "location", "located", "call", "contact", "info", "information",
        "details", "question", "here", "area", "areas", "place", "places", "comes", "coming", "came", "u", "ur", "r", "plz", "pls", "am", "im", "got", "just", "all", "about", "been", "did", "doing",
        "kya", "hai", "hain", "ki", "ka", "ke", "ko", "mein", "main", "se", "aur", "bhi", "nahi", "ho", "hota", "hoti", "chahiye", "karna",
        "karni", "karne", "krna", "kab", "kahan", "kaise", "kitna", "kitne", "kitni", "ap", "aap", "apka", "apna", "tak", "tk", "wala",
        "wali", "wale",
        // English function words: they join a question's words, they are not what it asks about
        // ("instead" in "can I do a bank transfer instead of cash?").
        "instead", "rather", "again", "before", "after", "during", "while", "until", "till", "since", "ever", "even", "really", "actually",
        "yet", "already", "other", "another", "else", "both", "either", "neither", "same", "such", "own", "off", "out", "up", "down",
        "over", "under", "through", "around", "few", "whether", "because", "though", "although", "unless", "may", "might", "must",
        "shall", "were", "being", "had", "having", "he", "she", "him", "her", "his", "hers", "us", "ours", "mine", "yours", "whom",
        "whose", "those", "nor", "once", "someone", "somebody", "anyone", "anybody", "everyone", "everything", "nothing", "guys",
        // Adverbs that say how a question is put ("where's the bakery exactly?"), not what it asks about.
        "exactly", "precisely", "currently", "nowadays", "usually", "normally", "generally", "roughly", "approximately", "basically", "going",
    };

    /// <summary>
    /// Whether the message asks something (a question mark, or a question's first word) rather than
    /// tells something ("my delivery came two hours late yesterday").
    /// </summary>
    public static bool IsQuestion(string text) => text.Contains('?') || QuestionStart().IsMatch(text);

    /// <summary>
    /// Whether the question asks yes or no ("does the rider take cards?") rather than for a thing
    /// (how long, when, how much): a sentence naming what it asks about says yes or no to it; only
    /// a sentence holding the thing answers the other kind.
    /// </summary>
    public static bool IsYesNo(string text) => IsQuestion(text) && !AsksForAThing().IsMatch(text);

    // "Which" and "who" are left out: more often they join a clause ("a cake which…") than ask.
    [GeneratedRegex(@"\b(how|what|what's|whats|when|where|where's|why|kab|kahan|kaise|kitne|kitna|kitni|kyun)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AsksForAThing();

    [GeneratedRegex(@"^\W*(how|what|what's|whats|when|where|where's|which|who|why|is|are|do|does|did|can|could|will|would|should|may|till|until|kya|kab|kahan|kaise|kitne|kitna|kitni)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QuestionStart();

    /// <summary>The question's words that say what it is about, as written (lower case).</summary>
    public static IReadOnlyList<string> Content(string question) =>
        [.. KnowledgeKeywords.From(question).Where(w => !Form.Contains(w) && !w.All(char.IsAsciiDigit))];
}
