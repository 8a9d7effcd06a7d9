using System.Text;

namespace LeadsPeer.Worker.Knowledge;

/// <summary>RFC 4180 CSV (quoted fields, doubled quotes, line breaks inside quotes); a broken quote is an error naming its row.</summary>
public static class CsvReader
{
    public static List<List<string>> Read(string text)
    {
        var rows = new List<List<string>>();
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
                    throw new ExtractionException($"The CSV file has a stray quote on line {line}: a field with quotes must be enclosed in quotes, with inner quotes doubled.");
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
                    break;
                default:
                    if (fieldWasQuoted)
                    {
                        throw new ExtractionException($"The CSV file has text after a closing quote on line {line}.");
                    }

                    field.Append(c);
                    break;
            }
        }

        if (quoted)
        {
            throw new ExtractionException($"The CSV file has a quote opened on line {quoteStartLine} that is never closed.");
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
                rows.Add(row);
            }

            row = [];
        }
    }
}
