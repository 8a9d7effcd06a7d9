using System.Globalization;
using System.Text;

namespace LeadsPeer.Core.Knowledge;

/// <summary>
/// The words of a question worth matching in full text. The <c>simple</c> configuration keeps
/// every word, so the commonest English function words are dropped here: an OR query on "the"
/// and "to" would rank every passage.
/// </summary>
public static class KnowledgeKeywords
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "could", "do", "does", "for", "from", "have", "has",
        "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "no", "not", "of", "on", "or", "our", "please", "should",
        "so", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "to", "was", "we", "what", "when",
        "where", "which", "who", "why", "will", "with", "would", "you", "your", "hi", "hello", "thanks",
    };

    public static IReadOnlyList<string> From(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var ch in text.Normalize(NormalizationForm.FormC))
        {
            if (char.IsLetterOrDigit(ch))
            {
                current.Append(char.ToLower(ch, CultureInfo.InvariantCulture));
            }
            else
            {
                Flush();
            }
        }

        Flush();
        return words;

        void Flush()
        {
            if (current.Length > 1 && !StopWords.Contains(current.ToString()) && !words.Contains(current.ToString()))
            {
                words.Add(current.ToString());
            }

            current.Clear();
        }
    }

    /// <summary>A word without the endings that hide a match: "ordered", "orders" and "order" are one word.</summary>
    public static string Stem(string w) =>
        w.Length > 4 && w.EndsWith("ing", StringComparison.Ordinal) ? w[..^3]
        : w.Length > 3 && w.EndsWith("ed", StringComparison.Ordinal) ? w[..^2]
        : w.Length > 3 && w.EndsWith("es", StringComparison.Ordinal) ? w[..^2]
        : w.Length > 2 && w.EndsWith('s') ? w[..^1]
        : w;

    /// <summary>An OR query of the keywords, each reduced to letters and digits (nothing of tsquery's syntax gets through); null when none is left.</summary>
    public static string? ToTsQuery(IEnumerable<string> keywords)
    {
        var terms = keywords.SelectMany(From).Distinct(StringComparer.Ordinal).Take(32).ToList();
        return terms.Count == 0 ? null : string.Join(" | ", terms);
    }
}
