using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace LeadsPeer.Worker.Tests.Knowledge;

/// <summary>Small real documents of each format, made by the same libraries that read them elsewhere.</summary>
public static class TestDocuments
{
    public const string StorageAnswer = "Store the sleeping bag loosely in its large cotton storage sack; never keep it in the compression sack for long.";
    public const string WarrantyAnswer = "The warranty covers manufacturing defects for one year from the date of purchase.";

    /// <summary>A PDF with one line of text per page.</summary>
    public static byte[] Pdf(params string[] pages)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        foreach (var text in pages)
        {
            var page = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
            var y = 800.0;
            foreach (var line in Wrap(text, 90))
            {
                page.AddText(line, 11, new UglyToad.PdfPig.Core.PdfPoint(40, y), font);
                y -= 14;
            }
        }

        return builder.Build();
    }

    /// <summary>The same PDF declared encrypted by the standard security handler, with a user password we do not know.</summary>
    public static byte[] EncryptedPdf()
    {
        var text = Encoding.Latin1.GetString(Pdf("Secret price list"));
        var trailer = text.LastIndexOf("trailer", StringComparison.Ordinal);
        var dictionary = text.IndexOf("<<", trailer, StringComparison.Ordinal);
        var o = new string('A', 64);
        var u = new string('B', 64);
        var encrypt = $"<< /Encrypt << /Filter /Standard /V 1 /R 2 /O <{o}> /U <{u}> /P -44 >> /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>] ";
        return Encoding.Latin1.GetBytes(text[..dictionary] + encrypt + text[(dictionary + 2)..]);
    }

    public static byte[] Docx(params (string? Heading, string Text)[] parts)
    {
        using var stream = new MemoryStream();
        using (var word = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = word.AddMainDocumentPart();
            var body = new Body();
            foreach (var (heading, text) in parts)
            {
                if (heading is not null)
                {
                    body.AppendChild(new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = "Heading1" }), new Run(new Text(heading))));
                }

                body.AppendChild(new Paragraph(new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve })));
            }

            main.Document = new Document(body);
        }

        return stream.ToArray();
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static IEnumerable<string> Wrap(string text, int width)
    {
        var line = new StringBuilder();
        foreach (var word in text.Split(' '))
        {
            if (line.Length + word.Length + 1 > width)
            {
                yield return line.ToString();
                line.Clear();
            }

            line.Append(line.Length > 0 ? " " : "").Append(word);
        }

        if (line.Length > 0)
        {
            yield return line.ToString();
        }
    }
}
