using System.Diagnostics;
using System.IO.Compression;

namespace LeadsPeer.Worker.Knowledge;

/// <summary>
/// How much reading one upload may cost. Anyone can sign up and upload, and a small file can
/// unpack into a huge one (a zip bomb inside a .docx) or take a PDF parser minutes: past a cap
/// the document fails with a reason the business can act on, before it costs the Worker its
/// memory or holds a slot that every tenant's indexing shares.
/// </summary>
public sealed record ExtractionLimits(
    long MaxUnpackedBytes = 200L * 1024 * 1024,
    int MaxArchiveEntries = 10_000,
    int MaxPdfPages = 2_000,
    long MaxCharacters = 5_000_000,
    TimeSpan? MaxPdfTime = null)
{
    public static readonly ExtractionLimits Default = new();

    public TimeSpan PdfTime => MaxPdfTime ?? TimeSpan.FromMinutes(2);

    /// <summary>A Word file is a zip: its entries and their unpacked size are read from its directory before anything is unpacked.</summary>
    public void CheckArchive(byte[] content)
    {
        long unpacked = 0;
        int entries = 0;
        try
        {
            using var zip = new ZipArchive(new MemoryStream(content), ZipArchiveMode.Read);
            foreach (var entry in zip.Entries)
            {
                entries++;
                unpacked += entry.Length;
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or ArgumentException or NotSupportedException)
        {
            throw new ExtractionException("The Word document could not be read: it may be damaged or password-protected.", ex);
        }

        if (entries > MaxArchiveEntries || unpacked > MaxUnpackedBytes)
        {
            throw new ExtractionException(
                $"The Word document unpacks to more than {MaxUnpackedBytes / (1024 * 1024)} MB or {MaxArchiveEntries:N0} parts. Save it again without embedded media, or split it.");
        }
    }

    /// <summary>Word parts may claim less than they hold: the reader stops at the same size, counted in characters.</summary>
    public long MaxCharactersInPart => MaxUnpackedBytes;

    public void CheckPages(int pages)
    {
        if (pages > MaxPdfPages)
        {
            throw new ExtractionException($"The PDF has {pages:N0} pages; at most {MaxPdfPages:N0} can be read. Split it into smaller files and upload them.");
        }
    }

    public void CheckTime(Stopwatch reading)
    {
        if (reading.Elapsed > PdfTime)
        {
            throw new ExtractionException($"Reading the PDF took longer than {PdfTime.TotalMinutes:0.#} minutes. Split it into smaller files and upload them.");
        }
    }

    public void CheckCharacters(long characters)
    {
        if (characters > MaxCharacters)
        {
            throw new ExtractionException($"The file holds more than {MaxCharacters:N0} characters of text. Split it into smaller files and upload them.");
        }
    }
}
