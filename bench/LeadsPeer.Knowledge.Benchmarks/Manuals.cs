using System.Text.Json;

namespace LeadsPeer.Knowledge.Benchmarks;

/// <summary>The eShopSupport manuals folder given on the command line (N.pdf is product N), checked before anything starts.</summary>
public static class Manuals
{
    public static string? Folder(string[] args, string command)
    {
        var folder = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
        if (folder is null || !Directory.Exists(folder) || !File.Exists(Path.Combine(folder, "1.pdf")))
        {
            Console.Error.WriteLine(
                $"The {command} needs the folder of the eShopSupport manuals (1.pdf … 5.pdf, evalquestions.json), " +
                $"e.g. ../shared/fixtures/eshopsupport-manuals/ — {(folder is null ? "none was given" : $"'{folder}' has no manuals")}.");
            return null;
        }

        return folder;
    }

    public static IReadOnlyList<string> Pdfs(string folder) =>
        [.. Directory.GetFiles(folder, "*.pdf").OrderBy(f => int.Parse(Path.GetFileNameWithoutExtension(f), System.Globalization.CultureInfo.InvariantCulture))];

    public sealed record EvalQuestion(int QuestionId, int ProductId, string Question, string Answer);

    public static IReadOnlyList<EvalQuestion> Questions(string folder) =>
        JsonSerializer.Deserialize<List<EvalQuestion>>(File.ReadAllText(Path.Combine(folder, "evalquestions.json")))!;
}
