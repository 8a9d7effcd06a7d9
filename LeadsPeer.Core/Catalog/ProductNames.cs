using System.Text.RegularExpressions;

namespace LeadsPeer.Core.Catalog;

/// <summary>
/// Whether a customer's words name a product: "3 croissants and a sourdough loaf" names both the
/// croissant and the sourdough loaf, "can I get an eggless cake?" names neither the chocolate fudge
/// cake nor the custom cake. A name of one or two words must be there whole; a longer one may miss
/// one word ("red velvet" for the red velvet cake). Plurals are read as their singular ("loaves" →
/// loaf), and words may be cut short ("choc fudge").
/// </summary>
public static partial class ProductNames
{
    /// <summary>The words of a text as a name is compared with them: lower case, singular, no numbers.</summary>
    public static IReadOnlyList<string> Words(string? text) =>
        text is null ? [] : [.. Word().Matches(text.ToLowerInvariant()).Select(m => Singular(m.Value)).Where(w => !w.All(char.IsDigit)).Distinct()];

    /// <summary>Whether the words (<see cref="Words"/>) name the product called <paramref name="name"/>.</summary>
    public static bool Named(IReadOnlyList<string> words, string name)
    {
        var parts = Words(name);
        if (parts.Count == 0)
        {
            return false;
        }

        var found = parts.Count(part => words.Any(w => w == part || (w.Length >= 3 && part.StartsWith(w, StringComparison.Ordinal))));
        return found == parts.Count || (parts.Count >= 3 && found >= parts.Count - 1);
    }

    /// <summary>The words worth looking up: three letters or more (a prefix query on "a" or "of" finds everything).</summary>
    public static IReadOnlyList<string> Searchable(IReadOnlyList<string> words) => [.. words.Where(w => w.Length >= 3).Take(12)];

    /// <summary>A lower-case word's singular, as the catalog's search reads it too: "buns" → bun, "loaves" → loaf, "glass" stays.</summary>
    public static string Singular(string word) =>
        word.Length > 4 && word.EndsWith("ves", StringComparison.Ordinal) ? word[..^3] + "f"
        : word.Length > 3 && word[^1] == 's' && word[^2] != 's' ? word[..^1]
        : word;

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();
}
