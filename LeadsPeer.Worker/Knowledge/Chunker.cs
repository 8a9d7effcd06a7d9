using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace LeadsPeer.Worker.Knowledge;

public sealed record TextChunk(string Content, string? Location, int TokenCount);

/// <summary>
/// Splits sections into passages sized for the embedding model: whole sentences packed up to
/// <see cref="MaxTokens"/>, never across a section (page or heading) so every passage has one
/// location, and each passage repeating the last sentences of the one before (up to
/// <see cref="OverlapTokens"/>) so an answer that straddles a boundary is found whole.
/// </summary>
public sealed partial class Chunker
{
    /// <summary>all-MiniLM-L6-v2 reads 256 word pieces; cl100k tokens run a little fewer than word pieces, so 200 leaves room.</summary>
    public const int MaxTokens = 200;
    public const int OverlapTokens = 40;

    private static readonly Tokenizer Tokens = TiktokenTokenizer.CreateForEncoding("cl100k_base");

    public static int CountTokens(string text) => Tokens.CountTokens(text);

    public IReadOnlyList<TextChunk> Split(IEnumerable<TextSection> sections)
    {
        var chunks = new List<TextChunk>();
        foreach (var section in sections)
        {
            var window = new List<(string Sentence, int Tokens)>();
            var windowTokens = 0;
            var fresh = 0; // sentences in the window not yet emitted in a chunk
            foreach (var sentence in Sentences(section.Text))
            {
                if (windowTokens + sentence.Tokens > MaxTokens && fresh > 0)
                {
                    Emit();
                    // Keep the tail (whole sentences, up to the overlap) as the next passage's start.
                    var kept = 0;
                    var keep = window.Count;
                    while (keep > 0 && kept + window[keep - 1].Tokens <= OverlapTokens)
                    {
                        kept += window[--keep].Tokens;
                    }

                    window.RemoveRange(0, keep);
                    windowTokens = kept;
                    fresh = 0;
                    while (window.Count > 0 && windowTokens + sentence.Tokens > MaxTokens)
                    {
                        windowTokens -= window[0].Tokens;
                        window.RemoveAt(0);
                    }
                }

                window.Add(sentence);
                windowTokens += sentence.Tokens;
                fresh++;
            }

            if (fresh > 0)
            {
                Emit();
            }

            void Emit()
            {
                var content = string.Join(' ', window.Select(w => w.Sentence));
                chunks.Add(new TextChunk(content, section.Location, CountTokens(content)));
            }
        }

        return chunks;
    }

    /// <summary>Sentences of a section, paragraph breaks kept as boundaries; a sentence longer than a passage is cut at word boundaries.</summary>
    private static IEnumerable<(string Sentence, int Tokens)> Sentences(string text)
    {
        foreach (var paragraph in Paragraphs().Split(text))
        {
            var flat = paragraph.Replace('\n', ' ').Trim();
            if (flat.Length == 0)
            {
                continue;
            }

            foreach (var sentence in SentenceEnd().Split(flat))
            {
                var trimmed = sentence.Trim();
                if (trimmed.Length == 0)
                {
                    continue;
                }

                var tokens = CountTokens(trimmed);
                if (tokens <= MaxTokens)
                {
                    yield return (trimmed, tokens);
                    continue;
                }

                var piece = new StringBuilder();
                foreach (var word in trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (piece.Length > 0 && CountTokens(piece + " " + word) > MaxTokens)
                    {
                        yield return (piece.ToString(), CountTokens(piece.ToString()));
                        piece.Clear();
                    }

                    piece.Append(piece.Length > 0 ? " " : "").Append(word);
                }

                if (piece.Length > 0)
                {
                    yield return (piece.ToString(), CountTokens(piece.ToString()));
                }
            }
        }
    }

    [GeneratedRegex(@"\n\s*\n")]
    private static partial Regex Paragraphs();

    [GeneratedRegex(@"(?<=[.!?…])\s+(?=[\p{Lu}\p{N}""'(¿¡])")]
    private static partial Regex SentenceEnd();
}
