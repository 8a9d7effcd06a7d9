using System.Text.RegularExpressions;

namespace LeadsPeer.Core.Agent;

/// <summary>
/// The names a question asks about — "Bahria Town", "Easypaisa", "DHA": words written with a
/// capital inside a sentence, or in capitals, other than days, months and "I". A passage that
/// never mentions one does not answer the question, however close it reads: "Do you deliver to
/// Bahria Town?" is near "We deliver anywhere in Garden Town, Model Town and Johar Town", and the
/// honest reply is a person's. Customers who write in lower case name nothing this rule can see.
/// </summary>
public static partial class QuestionNames
{
    private static readonly HashSet<string> Always = new(StringComparer.OrdinalIgnoreCase)
    {
        "I", "I'm", "I'd", "I'll", "I've", "OK", "Ok",
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    };

    /// <summary>The names in <paramref name="question"/>, each once, in order.</summary>
    public static IReadOnlyList<string> In(string question)
    {
        var names = new List<string>();
        foreach (var sentence in SentenceBreak().Split(question))
        {
            var first = true;
            foreach (Match word in Word().Matches(sentence))
            {
                var value = Possessive().Replace(word.Value, "");
                // "Saturdays" is a day as much as "Saturday".
                if (!first && char.IsUpper(value[0]) && value.Length > 1 && !Always.Contains(value) && !Always.Contains(value.TrimEnd('s'))
                    && !names.Contains(value, StringComparer.OrdinalIgnoreCase))
                {
                    names.Add(value);
                }

                first = false;
            }
        }

        return names;
    }

    /// <summary>
    /// The first name of <paramref name="question"/> that none of <paramref name="texts"/> mentions
    /// (as a word or a word's start: "Sunday" in "Sundays"); null when all are. With
    /// <paramref name="meaning"/>, a name the texts know by another word counts too ("Ramzan" read
    /// as "ramadan" by the synonyms).
    /// </summary>
    public static string? Missing(string question, IEnumerable<string?> texts, Func<string, string>? meaning = null)
    {
        var names = In(question);
        if (names.Count == 0)
        {
            return null;
        }

        var known = string.Join("\n", texts.Where(t => t is not null));
        bool Mentioned(string word) => Regex.IsMatch(known, $@"\b{Regex.Escape(word)}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        return names.FirstOrDefault(name => !Mentioned(name) && (meaning is null || !Mentioned(meaning(name))));
    }

    /// <summary><paramref name="text"/> without the words in <paramref name="names"/> (lower case): what it asks, not about whom or where.</summary>
    public static string Without(string text, IReadOnlySet<string> names) =>
        Word().Replace(text, word => names.Contains(Possessive().Replace(word.Value, "").ToLowerInvariant()) ? "" : word.Value);

    [GeneratedRegex(@"(?<=[.!?:;])\s+|\n+")]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"[\p{L}][\p{L}\p{N}'’-]*")]
    private static partial Regex Word();

    [GeneratedRegex(@"['’]s$")]
    private static partial Regex Possessive();
}
