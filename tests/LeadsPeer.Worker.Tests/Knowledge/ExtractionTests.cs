using LeadsPeer.Core.Knowledge;
using LeadsPeer.Worker.Knowledge;

namespace LeadsPeer.Worker.Tests.Knowledge;

public sealed class ExtractionTests
{
    [Fact]
    public void A_pdf_is_read_page_by_page()
    {
        var sections = TextExtractor.Extract(KnowledgeFileType.Pdf, TestDocuments.Pdf("Care and storage. " + TestDocuments.StorageAnswer, TestDocuments.WarrantyAnswer));

        Assert.Equal(["page 1", "page 2"], sections.Select(s => s.Location));
        Assert.Contains("compression sack", sections[0].Text);
        Assert.Contains("one year", sections[1].Text);
    }

    [Fact]
    public void A_word_document_is_read_with_its_headings_as_locations()
    {
        var sections = TextExtractor.Extract(KnowledgeFileType.Docx, TestDocuments.Docx(("Storage", TestDocuments.StorageAnswer), ("Warranty", TestDocuments.WarrantyAnswer)));

        Assert.Equal(["Storage", "Warranty"], sections.Select(s => s.Location));
        Assert.Contains("cotton storage sack", sections[0].Text);
    }

    [Fact]
    public void Html_is_read_without_scripts_and_markdown_keeps_its_heading_path()
    {
        var html = TextExtractor.Extract(KnowledgeFileType.Html, TestDocuments.Utf8(
            "<html><head><script>var secret = 1;</script></head><body><nav>Home | Shop</nav><h1>Help</h1><h2>Returns</h2><p>Returns are accepted within <b>30 days</b>.</p><ul><li>Keep the receipt.</li></ul></body></html>"));
        var markdown = TextExtractor.Extract(KnowledgeFileType.Markdown, TestDocuments.Utf8("# Manual\n\n## Storage\n\n" + TestDocuments.StorageAnswer + "\n\n## Warranty\n\n" + TestDocuments.WarrantyAnswer));

        var returns = Assert.Single(html);
        Assert.Equal("Help > Returns", returns.Location);
        Assert.Contains("within 30 days", returns.Text);
        Assert.Contains("Keep the receipt.", returns.Text);
        Assert.DoesNotContain("secret", returns.Text);
        Assert.DoesNotContain("Shop", returns.Text);
        Assert.Equal(["Manual > Storage", "Manual > Warranty"], markdown.Select(s => s.Location));
        Assert.Contains("one year", markdown[1].Text);
    }

    [Fact]
    public void Plain_text_is_cleaned_and_csv_rows_read_as_column_value_pairs()
    {
        var text = TextExtractor.Extract(KnowledgeFileType.Text, TestDocuments.Utf8("\uFEFFOur   shop opens at  9.\r\n\r\n\r\nIt closes at 18."));
        var csv = TextExtractor.Extract(KnowledgeFileType.Csv, TestDocuments.Utf8("product,price,note\nTent,199,\"Sleeps two, \"\"ultralight\"\"\"\nStove,49,\n"));

        Assert.Equal("Our shop opens at 9.\n\nIt closes at 18.", Assert.Single(text).Text);
        var rows = Assert.Single(csv);
        Assert.Equal("rows 2–3", rows.Location);
        Assert.Contains("product: Tent; price: 199; note: Sleeps two, \"ultralight\".", rows.Text);
        Assert.Contains("product: Stove; price: 49.", rows.Text);
    }

    [Theory]
    [InlineData("name,note\nTent,\"never closed\n", "never closed")]
    [InlineData("name,note\nTent,5\" wide\n", "stray quote on line 2")]
    public void A_csv_with_broken_quoting_fails_with_the_line(string csv, string expected)
    {
        var failure = Assert.Throws<ExtractionException>(() => TextExtractor.Extract(KnowledgeFileType.Csv, TestDocuments.Utf8(csv)));

        Assert.Contains(expected == "never closed" ? "opened on line 2 that is never closed" : expected, failure.Message);
    }

    [Fact]
    public void Damaged_encrypted_and_empty_files_fail_with_reasons_a_business_can_act_on()
    {
        var damaged = Assert.Throws<ExtractionException>(() => TextExtractor.Extract(KnowledgeFileType.Pdf, TestDocuments.Utf8("%PDF-1.7\nthis is not really a pdf")));
        var encrypted = Assert.Throws<ExtractionException>(() => TextExtractor.Extract(KnowledgeFileType.Pdf, TestDocuments.EncryptedPdf()));
        var empty = Assert.Throws<ExtractionException>(() => TextExtractor.Extract(KnowledgeFileType.Text, TestDocuments.Utf8(" \n\n ")));
        var brokenWord = Assert.Throws<ExtractionException>(() => TextExtractor.Extract(KnowledgeFileType.Docx, [0x50, 0x4B, 3, 4, 1, 2, 3]));

        Assert.Contains("damaged", damaged.Message);
        Assert.Contains("password", encrypted.Message);
        Assert.Contains("No text", empty.Message);
        Assert.Contains("could not be read", brokenWord.Message);
    }

    [Fact]
    public void Chunks_stay_under_the_token_limit_overlap_by_whole_sentences_and_keep_their_section()
    {
        var sentences = Enumerable.Range(1, 60).Select(i => $"Sentence number {i} explains one more detail of the product in plain words.").ToList();
        var chunks = new Chunker().Split([new TextSection("page 1", string.Join(' ', sentences)), new TextSection("page 2", "A short page.")]);

        Assert.True(chunks.Count >= 4, $"{chunks.Count} chunks");
        Assert.All(chunks, c => Assert.True(c.TokenCount <= Chunker.MaxTokens, $"{c.TokenCount} tokens"));
        Assert.All(chunks.SkipLast(1), c => Assert.Equal("page 1", c.Location));
        Assert.Equal(("page 2", "A short page."), (chunks[^1].Location, chunks[^1].Content));
        // Each passage repeats the last sentence of the one before, and starts on a sentence of it.
        for (var i = 1; i < chunks.Count - 1; i++)
        {
            var previous = chunks[i - 1].Content;
            var lastSentenceOfPrevious = previous[previous.LastIndexOf("Sentence number", StringComparison.Ordinal)..];
            var firstSentence = chunks[i].Content[..(chunks[i].Content.IndexOf('.') + 1)];
            Assert.Contains(lastSentenceOfPrevious, chunks[i].Content);
            Assert.Contains(firstSentence, previous);
        }

        // Nothing lost: every sentence is in some passage.
        Assert.All(sentences, s => Assert.Contains(chunks, c => c.Content.Contains(s, StringComparison.Ordinal)));
    }

    [Fact]
    public void A_word_file_that_unpacks_to_hundreds_of_megabytes_fails_before_it_is_unpacked()
    {
        // 250 MB of zeros compress to a few hundred kilobytes: what a zip bomb looks like inside a .docx.
        var bomb = ZipBomb("word/document.xml", 250L * 1024 * 1024);
        Assert.True(bomb.Length < 2 * 1024 * 1024, $"the bomb is {bomb.Length:N0} bytes");
        var before = GC.GetAllocatedBytesForCurrentThread();

        var failure = Assert.Throws<ExtractionException>(() => TextExtractor.Extract(KnowledgeFileType.Docx, bomb));

        Assert.Contains("unpacks to more than 200 MB", failure.Message);
        // Refused from the zip's directory: nowhere near the unpacked size was allocated.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 50L * 1024 * 1024);
    }

    [Fact]
    public void Pages_characters_and_reading_time_have_caps_each_failing_with_what_to_do()
    {
        var twoPages = TestDocuments.Pdf(TestDocuments.StorageAnswer, TestDocuments.WarrantyAnswer);

        var pages = Assert.Throws<ExtractionException>(() => TextExtractor.Extract(KnowledgeFileType.Pdf, twoPages, new ExtractionLimits(MaxPdfPages: 1)));
        var slow = Assert.Throws<ExtractionException>(() => TextExtractor.Extract(KnowledgeFileType.Pdf, twoPages, new ExtractionLimits(MaxPdfTime: TimeSpan.Zero)));
        var text = Assert.Throws<ExtractionException>(() => TextExtractor.Extract(KnowledgeFileType.Text, TestDocuments.Utf8(new string('a', 101)), new ExtractionLimits(MaxCharacters: 100)));
        var parts = Assert.Throws<ExtractionException>(() => TextExtractor.Extract(KnowledgeFileType.Docx, TestDocuments.Docx((null, TestDocuments.StorageAnswer)), new ExtractionLimits(MaxArchiveEntries: 1)));

        Assert.Contains("The PDF has 2 pages; at most 1 can be read", pages.Message);
        Assert.Contains("took longer than 0 minutes", slow.Message);
        Assert.Contains("more than 100 characters", text.Message);
        Assert.Contains("parts", parts.Message);
        // Within the caps the same files are read.
        Assert.Equal(2, TextExtractor.Extract(KnowledgeFileType.Pdf, twoPages, new ExtractionLimits(MaxPdfPages: 2)).Count);
        Assert.Single(TextExtractor.Extract(KnowledgeFileType.Text, TestDocuments.Utf8(new string('a', 100)), new ExtractionLimits(MaxCharacters: 100)));
    }

    private static byte[] ZipBomb(string entryName, long size)
    {
        using var stream = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            zip.CreateEntry("[Content_Types].xml").Open().Dispose();
            using var entry = zip.CreateEntry(entryName, System.IO.Compression.CompressionLevel.Optimal).Open();
            var zeros = new byte[1024 * 1024];
            for (long written = 0; written < size; written += zeros.Length)
            {
                entry.Write(zeros);
            }
        }

        return stream.ToArray();
    }
}
