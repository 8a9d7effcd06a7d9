using System.IO.Compression;
using System.Text;
using LeadsPeer.Core.Knowledge;

namespace LeadsPeer.Core.Tests.Knowledge;

public sealed class KnowledgeFileTypeTests
{
    [Theory]
    [InlineData("manual.pdf", "%PDF-1.7\n...", KnowledgeFileType.Pdf)]
    [InlineData("renamed.txt", "%PDF-1.4\n...", KnowledgeFileType.Pdf)]
    [InlineData("page.htm", "<p>Hello</p>", KnowledgeFileType.Html)]
    [InlineData("export", "\uFEFF<!DOCTYPE html><html><body>Hi</body></html>", KnowledgeFileType.Html)]
    [InlineData("notes.md", "# Title\n\nText", KnowledgeFileType.Markdown)]
    [InlineData("prices.csv", "name,price\nTent,199", KnowledgeFileType.Csv)]
    [InlineData("readme.txt", "Plain words, ünïcödé too.", KnowledgeFileType.Text)]
    public void The_type_comes_from_the_content_and_the_extension_only_chooses_among_text_formats(string name, string content, KnowledgeFileType expected)
    {
        var (type, refusal) = KnowledgeFileTypes.Detect(name, Encoding.UTF8.GetBytes(content));

        Assert.Null(refusal);
        Assert.Equal(expected, type);
    }

    [Fact]
    public void A_zip_is_a_word_document_only_with_a_document_part()
    {
        Assert.Equal(KnowledgeFileType.Docx, KnowledgeFileTypes.Detect("a.docx", Zip("word/document.xml")).Type);
        var (type, refusal) = KnowledgeFileTypes.Detect("a.docx", Zip("xl/workbook.xml"));
        Assert.Null(type);
        Assert.Contains("ZIP archive, not a Word document", refusal);
    }

    [Theory]
    [InlineData("photo.pdf", new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A }, "PNG image")]
    [InlineData("photo.txt", new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, "JPEG image")]
    [InlineData("old.doc", new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1 }, "save it as .docx")]
    [InlineData("data.txt", new byte[] { 0x41, 0x00, 0x42, 0x00 }, "binary data")]
    [InlineData("latin1.txt", new byte[] { 0x63, 0x61, 0x66, 0xE9, 0x20, 0x21 }, "not text we can read")]
    [InlineData("fake.pdf", new byte[] { 0x68, 0x69 }, "not a PDF")]
    public void Files_whose_bytes_are_not_a_readable_document_are_refused_with_what_they_are(string name, byte[] content, string expected)
    {
        var (type, refusal) = KnowledgeFileTypes.Detect(name, content);

        Assert.Null(type);
        Assert.Contains(expected, refusal);
    }

    private static byte[] Zip(string entry)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry(entry).Open());
            writer.Write("<xml/>");
        }

        return stream.ToArray();
    }
}
