using System.IO.Compression;
using System.Text;

namespace LeadsPeer.Core.Knowledge;

public enum KnowledgeFileType
{
    Pdf,
    Docx,
    Html,
    Markdown,
    Text,
    Csv,
}

/// <summary>
/// What a file really is, decided from its bytes: the name's extension only chooses among text
/// formats (Markdown, CSV, plain text), and a file whose bytes contradict its extension (an
/// image renamed <c>.pdf</c>) is refused with what it looks like instead.
/// </summary>
public static class KnowledgeFileTypes
{
    public static string ContentTypeOf(KnowledgeFileType type) => type switch
    {
        KnowledgeFileType.Pdf => "application/pdf",
        KnowledgeFileType.Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        KnowledgeFileType.Html => "text/html",
        KnowledgeFileType.Markdown => "text/markdown",
        KnowledgeFileType.Csv => "text/csv",
        _ => "text/plain",
    };

    public static KnowledgeFileType? FromContentType(string contentType) =>
        Enum.GetValues<KnowledgeFileType>().Cast<KnowledgeFileType?>().FirstOrDefault(t => ContentTypeOf(t!.Value) == contentType);

    public const string Supported = "PDF, Word (.docx), HTML, Markdown, plain text or CSV";

    /// <summary>The file's type, or why it is not one we can read.</summary>
    public static (KnowledgeFileType? Type, string? Refusal) Detect(string fileName, ReadOnlySpan<byte> content)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (content.StartsWith("%PDF-"u8))
        {
            return (KnowledgeFileType.Pdf, null);
        }

        if (content.StartsWith("PK\x03\x04"u8))
        {
            return IsWordDocument(content)
                ? (KnowledgeFileType.Docx, null)
                : (null, "The file is a ZIP archive, not a Word document. Upload a " + Supported + " file.");
        }

        if (Binary(content) is { } binary)
        {
            return (null, $"The file is {binary}, not a document we can read. Upload a {Supported} file.");
        }

        if (extension is ".pdf" or ".docx")
        {
            return (null, $"The file is named {extension} but its content is not a {(extension == ".pdf" ? "PDF" : "Word document")}: it may be damaged or renamed.");
        }

        if (!IsUtf8Text(content))
        {
            return (null, $"The file is not text we can read (UTF-8) nor a PDF or Word document. Upload a {Supported} file.");
        }

        if (extension is ".html" or ".htm" || LooksLikeHtml(content))
        {
            return (KnowledgeFileType.Html, null);
        }

        return extension switch
        {
            ".md" or ".markdown" => (KnowledgeFileType.Markdown, null),
            ".csv" => (KnowledgeFileType.Csv, null),
            ".txt" or ".text" or "" => (KnowledgeFileType.Text, null),
            _ => (null, $"Files of type {extension} are not supported. Upload a {Supported} file."),
        };
    }

    private static bool IsWordDocument(ReadOnlySpan<byte> content)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(content.ToArray()), ZipArchiveMode.Read);
            return zip.GetEntry("word/document.xml") is not null;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    private static string? Binary(ReadOnlySpan<byte> content) => content switch
    {
        _ when content.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']) => "a PNG image",
        _ when content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) => "a JPEG image",
        _ when content.StartsWith("GIF8"u8) => "a GIF image",
        _ when content.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0]) => "an old Office file (.doc, .xls): save it as .docx",
        _ when content.StartsWith((ReadOnlySpan<byte>)[0x7F, (byte)'E', (byte)'L', (byte)'F']) || content.StartsWith("MZ"u8) => "a program",
        _ when content.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]) => "a compressed (gzip) file",
        _ when content[..Math.Min(content.Length, 8192)].Contains((byte)0) => "binary data",
        _ => null,
    };

    private static bool IsUtf8Text(ReadOnlySpan<byte> content)
    {
        // A multi-byte character may be cut at the sample's end: look at whole characters only.
        var sample = content[..Math.Min(content.Length, 64 * 1024)];
        var decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
        try
        {
            var chars = new char[sample.Length];
            decoder.Convert(sample, chars, flush: sample.Length == content.Length, out _, out _, out _);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static bool LooksLikeHtml(ReadOnlySpan<byte> content)
    {
        var start = Encoding.UTF8.GetString(content[..Math.Min(content.Length, 512)]).TrimStart('\uFEFF', ' ', '\r', '\n', '\t');
        return start.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase) || start.StartsWith("<html", StringComparison.OrdinalIgnoreCase);
    }
}
