using System.Text;

namespace LeadsPeer.Core;

/// <summary>A CSV text that is not RFC 4180: the message names the line.</summary>
public sealed class CsvFormatException(string message) : Exception(message);

/// <summary>RFC 4180 CSV (quoted fields, doubled quotes, line breaks inside quotes); a broken quote is an error naming its row. Knowledge files and catalog imports read through it.</summary>
public static class CsvReader
{
    public static List<List<string>> Read(string text) => [.. ReadRows(text).Select(r => r.Fields)];

    /// <summary>The records with the line each starts on (blank lines skipped), so an error can name the line a person sees in their editor.</summary>
    public static List<CsvRow> ReadRows(string text)
    {
        var rows = new List<CsvRow>();
        var rowLine = 1;
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var fieldWasQuoted = false;
        var line = 1;
        var quoteStartLine = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0 && !fieldWasQuoted:
                    quoted = true;
                    fieldWasQuoted = true;
                    quoteStartLine = line;
                    break;
                case '"':
                    throw new CsvFormatException($"The CSV file has a stray quote on line {line}: a field with quotes must be enclosed in quotes, with inner quotes doubled.");
                case ',':
                    row.Add(field.ToString());
                    field.Clear();
                    fieldWasQuoted = false;
                    break;
                case '\r':
                    break;
                case '\n':
                    EndRow();
                    line++;
                    rowLine = line;
                    break;
                default:
                    if (fieldWasQuoted)
                    {
                        throw new CsvFormatException($"The CSV file has text after a closing quote on line {line}.");
                    }

                    field.Append(c);
                    break;
            }
        }

        if (quoted)
        {
            throw new CsvFormatException($"The CSV file has a quote opened on line {quoteStartLine} that is never closed.");
        }

        EndRow();
        return rows;

        void EndRow()
        {
            row.Add(field.ToString());
            field.Clear();
            fieldWasQuoted = false;
            if (row.Any(f => f.Length > 0))
            {
                rows.Add(new CsvRow(rowLine, row));
            }

            row = [];
        }
    }
}

/// <summary>One CSV record and the line it starts on.</summary>
public sealed record CsvRow(int Line, List<string> Fields);
