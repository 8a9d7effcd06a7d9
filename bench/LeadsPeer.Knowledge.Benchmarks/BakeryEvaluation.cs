using System.Text.Json;
using LeadsPeer.Core.Agent;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Worker.Agent;

namespace LeadsPeer.Knowledge.Benchmarks;

/// <summary>
/// A small business of our own: a bakery's handbook (Markdown, <c>Fixtures/bakery-handbook.md</c>)
/// and labelled customer questions (<c>Fixtures/bakery-questions.json</c>: answer — with the
/// sentence that answers —, decline, handoff). The questions were written and committed before
/// any rule was tuned on them, so all of them count as held out. Reports per outcome precision
/// and recall, the share of answers that quote the answering sentence, answers that open with a
/// heading, and answers naming a price the handbook does not have.
/// </summary>
public static class BakeryEvaluation
{
    private sealed record Case(string Label, string Question, string? Expect);

    public static async Task RunAsync(WorkerServices services, Func<AgentSettings, string, Task<(AgentDecision Decision, double Best)>> decide)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Fixtures");
        var handbook = Path.Combine(folder, "bakery-handbook.md");
        var cases = JsonSerializer.Deserialize<List<Case>>(await File.ReadAllTextAsync(Path.Combine(folder, "bakery-questions.json")), JsonSerializerOptions.Web)!;
        var tenant = await services.AddTenantAsync("Garden Bakes");
        var document = await services.AddFileAsync(tenant, handbook);
        await services.IndexAsync(tenant, document);
        var settings = new AgentSettings { TenantId = tenant, BusinessName = "Garden Bakes", Domain = "a bakery in Lahore: cakes, custom cakes, bread, pastries and their delivery" };
        var text = await File.ReadAllTextAsync(handbook);
        var headings = text.Split('\n').Where(l => l.StartsWith("## ", StringComparison.Ordinal)).Select(l => l[3..].Trim()).ToList();

        Console.WriteLine();
        Console.WriteLine($"Bakery handbook (our own fixture, {cases.Count} questions, all held out: written before tuning)");
        var results = new List<(Case Case, TurnOutcome Got, AgentDecision Decision)>();
        foreach (var c in cases)
        {
            var (decision, best) = await decide(settings, c.Question);
            results.Add((c, decision.Outcome, decision));
            var expected = Expected(c.Label);
            var quoted = c.Expect is null || decision is not AgentDecision.Answer answer || answer.Text.Contains(c.Expect, StringComparison.OrdinalIgnoreCase);
            Console.WriteLine($"  {(decision.Outcome == expected && quoted ? "ok  " : "MISS")} best {best:0.000}  [{c.Label}] {c.Question}  → {decision.Outcome}: {Shorten(decision is AgentDecision.Answer a ? a.Text : decision.Reason)}");
        }

        foreach (var outcome in new[] { TurnOutcome.Answer, TurnOutcome.Decline, TurnOutcome.HandOff })
        {
            var labelled = results.Count(r => Expected(r.Case.Label) == outcome);
            var predicted = results.Count(r => r.Got == outcome);
            var right = results.Count(r => r.Got == outcome && Expected(r.Case.Label) == outcome);
            Console.WriteLine($"  {outcome}: recall {right}/{labelled} = {Percent(right, labelled)}, precision {right}/{predicted} = {Percent(right, predicted)}");
        }

        var answers = results.Where(r => r.Case.Label == "answer").ToList();
        var quoting = answers.Count(r => r.Decision is AgentDecision.Answer a && a.Text.Contains(r.Case.Expect!, StringComparison.OrdinalIgnoreCase));
        var sent = results.Select(r => r.Decision).OfType<AgentDecision.Answer>().ToList();
        var withHeading = sent.Count(a => headings.Any(h => a.Text.StartsWith(h, StringComparison.OrdinalIgnoreCase)));
        var invented = sent.Count(a => GroundingCheck.Ungrounded(a.Text, [text]) is not null);
        Console.WriteLine($"  Answers quoting the answering sentence: {quoting}/{answers.Count} = {Percent(quoting, answers.Count)} (goal ≥ 90%)");
        Console.WriteLine($"  Off-topic declined without handoff: {Percent(results.Count(r => r.Case.Label == "decline" && r.Got == TurnOutcome.Decline), results.Count(r => r.Case.Label == "decline"))} (goal ≥ 95%)");
        Console.WriteLine($"  Answers opening with a heading: {withHeading}/{sent.Count}; answers naming a price, time, phone or link not in the handbook: {invented} (goal 0)");
    }

    private static TurnOutcome Expected(string label) => label switch
    {
        "answer" => TurnOutcome.Answer,
        "decline" => TurnOutcome.Decline,
        _ => TurnOutcome.HandOff,
    };

    private static string Percent(int part, int whole) => whole == 0 ? "—" : $"{100.0 * part / whole:0}%";

    private static string Shorten(string text) => text.ReplaceLineEndings(" ") is { Length: > 90 } t ? t[..90] + "…" : text.ReplaceLineEndings(" ");
}
