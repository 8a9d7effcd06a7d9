using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using LeadsPeer.Core;
using LeadsPeer.Core.Knowledge;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using UglyToad.PdfPig.Exceptions;

namespace LeadsPeer.Worker.Knowledge;

/// <summary>A run of a document's text under one location (a page, or a heading path).</summary>
public sealed record TextSection(string? Location, string Text);

/// <summary>Why a document could not be read, in words the business can act on.</summary>
public sealed class ExtractionException(string reason, Exception? inner = null) : Exception(reason, inner);

/// <summary>
/// A document's words, with where they sit: pages for PDF, heading paths for Word, HTML and
/// Markdown, row ranges for CSV. Layout noise (repeated whitespace, hyphenation at line ends)
/// is cleaned here so chunking sees plain prose.
/// </summary>
public static partial class TextExtractor
{
    private const int CsvRowsPerSection = 20;

    public static IReadOnlyList<TextSection> Extract(KnowledgeFileType type, byte[] content, ExtractionLimits? limits = null)
    {
        limits ??= ExtractionLimits.Default;
        var sections = type switch
        {
            KnowledgeFileType.Pdf => Pdf(content, limits),
            KnowledgeFileType.Docx => Word(content, limits),
            KnowledgeFileType.Html => Html(Decode(content)),
            KnowledgeFileType.Markdown => Html(Markdig.Markdown.ToHtml(Decode(content))),
            KnowledgeFileType.Csv => Csv(Decode(content)),
            _ => [new TextSection(null, Decode(content))],
        };
        limits.CheckCharacters(sections.Sum(s => (long)s.Text.Length));
        var cleaned = sections.Select(s => s with { Text = Clean(s.Text) }).Where(s => s.Text.Length > 0).ToList();
        return cleaned.Count > 0
            ? cleaned
            : throw new ExtractionException(type == KnowledgeFileType.Pdf
                ? "No text was found in the PDF. If it is a scan, run it through text recognition (OCR) and upload it again."
                : "No text was found in the document.");
    }

    private static List<TextSection> Pdf(byte[] content, ExtractionLimits limits)
    {
        try
        {
            var reading = System.Diagnostics.Stopwatch.StartNew();
            using var pdf = PdfDocument.Open(content);
            limits.CheckPages(pdf.NumberOfPages);
            var pages = new List<TextSection>();
            long characters = 0;
            foreach (var page in pdf.GetPages())
            {
                pages.Add(new TextSection($"page {page.Number}", ContentOrderTextExtractor.GetText(page)));
                characters += pages[^1].Text.Length;
                limits.CheckCharacters(characters);
                limits.CheckTime(reading);
            }

            return WithoutRunningHeaders(pages);
        }
        catch (PdfDocumentEncryptedException ex)
        {
            throw new ExtractionException("The PDF is password-protected. Remove the password and upload it again.", ex);
        }
        catch (Exception ex) when (ex is not ExtractionException)
        {
            // PdfPig signals damaged files with many exception types; none is the business's to read.
            throw new ExtractionException("The PDF could not be read: it may be damaged. Export it again and upload the new file.", ex);
        }
    }

    /// <summary>
    /// Drops the lines that repeat on most pages (running headers and footers such as
    /// "(c) Brand 7", page numbers aside): they would make every passage look alike.
    /// </summary>
    private static List<TextSection> WithoutRunningHeaders(List<TextSection> pages)
    {
        if (pages.Count < 3)
        {
            return pages;
        }

        static string Shape(string line) => Digits().Replace(line.Trim(), "#");
        var repeated = pages
            .SelectMany(p => p.Text.Split('\n').Select(Shape).Where(l => l.Length > 0).Distinct())
            .GroupBy(l => l)
            .Where(g => g.Count() * 2 >= pages.Count)
            .Select(g => g.Key)
            .ToHashSet();
        return [.. pages.Select(p => p with { Text = string.Join('\n', p.Text.Split('\n').Where(l => !repeated.Contains(Shape(l)))) })];
    }

    private static List<TextSection> Word(byte[] content, ExtractionLimits limits)
    {
        limits.CheckArchive(content);
        try
        {
            using var word = WordprocessingDocument.Open(new MemoryStream(content), isEditable: false,
                new OpenSettings { MaxCharactersInPart = limits.MaxCharactersInPart });
            var body = word.MainDocumentPart?.Document?.Body ?? throw new ExtractionException("The Word document has no body.");
            var sections = new SectionBuilder();
            foreach (var paragraph in body.Descendants<Paragraph>())
            {
                var words = string.Concat(paragraph.Descendants<Text>().Select(t => t.Text)).Trim();
                var style = paragraph.ParagraphProperties?.ParagraphStyleId?.Val?.Value ?? "";
                if (HeadingLevel(style) is { } level)
                {
                    sections.Heading(level, words);
                }
                else
                {
                    sections.Body(words);
                }
            }

            return sections.Build();
        }
        catch (Exception ex) when (ex is not ExtractionException)
        {
            throw new ExtractionException("The Word document could not be read: it may be damaged or password-protected.", ex);
        }
    }

    private static int? HeadingLevel(string style) =>
        style.Equals("Title", StringComparison.OrdinalIgnoreCase) ? 1
        : style.StartsWith("Heading", StringComparison.OrdinalIgnoreCase) && int.TryParse(style.AsSpan(7), out var level) ? level
        : null;

    private static List<TextSection> Html(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        foreach (var noise in document.QuerySelectorAll("script, style, nav, noscript, template, svg").ToList())
        {
            noise.Remove();
        }

        const string Blocks = "h1, h2, h3, h4, h5, h6, p, li, pre, blockquote, td, th, dt, dd, caption, figcaption";
        var body = (IElement?)document.Body ?? document.DocumentElement;
        var blocks = body.QuerySelectorAll(Blocks);
        if (blocks.Length == 0)
        {
            return [new TextSection(document.Title, body.TextContent)];
        }

        var sections = new SectionBuilder();
        foreach (var element in blocks)
        {
            var tag = element.LocalName;
            if (tag.Length == 2 && tag[0] == 'h' && char.IsDigit(tag[1]))
            {
                sections.Heading(tag[1] - '0', element.TextContent.Trim());
            }
            else if (element.QuerySelector(Blocks) is null)
            {
                // Leaf blocks only: a list item holding paragraphs is read through them.
                sections.Body(element.TextContent.Trim());
            }
        }

        return sections.Build();
    }

    /// <summary>Each record as "column: value" pairs, so a row reads as a sentence about one thing.</summary>
    private static List<TextSection> Csv(string csv)
    {
        List<List<string>> rows;
        try
        {
            rows = CsvReader.Read(csv);
        }
        catch (CsvFormatException ex)
        {
            throw new ExtractionException(ex.Message, ex);
        }

        if (rows.Count < 2)
        {
            throw new ExtractionException("The CSV file needs a header row and at least one data row.");
        }

        var header = rows[0];
        var sections = new List<TextSection>();
        for (var start = 1; start < rows.Count; start += CsvRowsPerSection)
        {
            var text = new StringBuilder();
            var end = Math.Min(rows.Count, start + CsvRowsPerSection);
            for (var r = start; r < end; r++)
            {
                var pairs = rows[r].Select((value, i) => (Name: i < header.Count ? header[i] : $"column {i + 1}", Value: value.Trim()))
                    .Where(p => p.Value.Length > 0)
                    .Select(p => $"{p.Name}: {p.Value}");
                text.Append(string.Join("; ", pairs)).AppendLine(".");
            }

            sections.Add(new TextSection(end - start == 1 ? $"row {start + 1}" : $"rows {start + 1}–{end}", text.ToString()));
        }

        return sections;
    }

    private static string Decode(byte[] content)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException ex)
        {
            throw new ExtractionException("The file is not UTF-8 text. Save it as UTF-8 and upload it again.", ex);
        }
    }

    /// <summary>
    /// Drops table-of-contents lines (a title, dot leaders, a page number: they match every
    /// question about their topic and answer none), joins words hyphenated across lines,
    /// collapses runs of spaces, keeps paragraph breaks.
    /// </summary>
    internal static string Clean(string text)
    {
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Replace('\u00A0', ' ');
        text = ContentsLine().Replace(text, "");
        text = LineEndHyphen().Replace(text, "$1$2");
        text = Spaces().Replace(text, " ");
        text = BlankLines().Replace(text, "\n\n");
        return string.Join('\n', text.Split('\n').Select(l => l.Trim())).Trim();
    }

    /// <summary>A contents entry: optional numbering, a title, dot leaders, a page number.</summary>
    [GeneratedRegex(@"(?:\d+(?:\.\d+)*\.?:?\s+)?[^.\n]{1,100}?(?:\s?\.){4,}\s*\d+")]
    private static partial Regex ContentsLine();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();

    [GeneratedRegex(@"(\p{L})-\n(\p{Ll})")]
    private static partial Regex LineEndHyphen();

    [GeneratedRegex(@"[ \t\f\v]+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\n\s*\n\s*")]
    private static partial Regex BlankLines();
}

/// <summary>
/// Sections of a document with headings (Word, HTML, Markdown): each heading opens a section
/// located by its heading path ("Care > Storage"); consecutive headings (a title, then a
/// chapter) open one section together; the heading's words stay in the text they head.
/// </summary>
internal sealed class SectionBuilder
{
    private readonly List<TextSection> _sections = [];
    private readonly List<(int Level, string Text)> _headings = [];
    private readonly StringBuilder _text = new();
    private bool _hasBody;

    public void Heading(int level, string words)
    {
        if (words.Length == 0)
        {
            return;
        }

        if (_hasBody)
        {
            Flush();
        }

        _headings.RemoveAll(h => h.Level >= level);
        _headings.Add((level, words));
        _text.AppendLine(words);
    }

    public void Body(string words)
    {
        if (words.Length > 0)
        {
            _text.AppendLine(words);
            _hasBody = true;
        }
    }

    public List<TextSection> Build()
    {
        Flush();
        return _sections;
    }

    private void Flush()
    {
        if (_text.Length > 0)
        {
            _sections.Add(new TextSection(_headings.Count == 0 ? null : string.Join(" > ", _headings.Select(h => h.Text)), _text.ToString()));
            _text.Clear();
            _hasBody = false;
        }
    }
}
