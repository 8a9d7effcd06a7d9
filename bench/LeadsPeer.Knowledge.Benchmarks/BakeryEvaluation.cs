using System.Text.Json;
using System.Text.RegularExpressions;
using LeadsPeer.Core.Agent;
using LeadsPeer.Core.Bookings;
using LeadsPeer.Core.Catalog;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Ordering;
using LeadsPeer.Testing;
using Microsoft.Extensions.DependencyInjection;
using LeadsPeer.Worker.Agent;

namespace LeadsPeer.Knowledge.Benchmarks;

/// <summary>
/// A small business of our own: a bakery's handbook (Markdown, <c>Fixtures/bakery-handbook.md</c>)
/// and labelled customer messages — answer (with the sentence that answers), decline, handoff, and
/// flow (with the flow the words ask for: order, book, my-bookings, talk-to-person). Ten sets:
/// <c>bakery-questions.json</c> was written and committed before any rule was tuned on it (the
/// held-out half, reported on its own; its misses have since been read, so it is no longer blind);
/// <c>bakery-questions-fresh.json</c> was written and committed before the second round of rules
/// (sentence scoring, names the knowledge lacks; some of its misses were read while writing them);
/// <c>bakery-questions-blind.json</c> was written after those rules and committed before it was
/// first run (the third round — names, words with other senses, Roman Urdu — was written after its
/// misses were read); <c>bakery-questions-blind2.json</c> was written and committed before the
/// third round and before it was first run (the fourth — person requests, the decline line — after
/// its misses were read); <c>bakery-questions-blind3.json</c> was written and committed before the
/// fourth round and before it was first run (the fifth — flow phrases — after its misses were
/// read); <c>bakery-questions-blind4.json</c> was written and committed before the fifth round and
/// before it was first run (the sixth — a request naming the catalog's items starts ordering —
/// after its misses were read); <c>bakery-questions-blind5.json</c> was written and committed
/// before the sixth round and before it was first run; <c>bakery-questions-blind6.json</c> was
/// written and committed before the seventh round (a request naming a booked service) and before it
/// was first run (the eighth was written after its misses were read); <c>bakery-questions-blind7.json</c>
/// was written and committed before the eighth round and before it was first run (the ninth after
/// its misses were read); <c>bakery-questions-blind8.json</c> was written and committed before the
/// ninth round and first run with the eighth round's rules (its misses were read before the ninth
/// was written); <c>bakery-questions-blind9.json</c> was written and committed before the ninth
/// round and before it was first run (the tenth after its misses were read);
/// <c>bakery-questions-blind10.json</c> was written and committed before the tenth round and before
/// it was first run (the eleventh after its misses were read); <c>bakery-questions-blind11.json</c>
/// was written and committed before the eleventh round and before it was first run, and no rule is
/// tuned on it or on the fifth (the flows' example messages, <c>FlowExamples.json</c>, were written
/// without either; their first run on both was read as totals, and only the messages they changed
/// were seen) but one: "can I talk to the owner?", a message of the fifth, was seen declined and "the
/// owner" is now a person asked for; <c>bakery-questions-blind12.json</c> was written and committed before its first run,
/// with the flows' example messages and without (the twelfth round was written after its misses
/// were read); <c>bakery-questions-blind13.json</c> was written and committed before the twelfth
/// round and before it was first run (the thirteenth after its misses were read);
/// <c>bakery-questions-blind14.json</c> was written and committed before the thirteenth round and
/// before it was first run, and first run with the scope's examples too (<c>ScopeExamples.json</c>,
/// written without it; the fourteenth round after its misses were read);
/// <c>bakery-questions-blind15.json</c> was written and committed before the fourteenth round and
/// before it was first run (its misses were read afterwards); <c>bakery-questions-blind16.json</c>
/// was written and committed after the fourteenth round and before the sentence change and its first run
/// (its misses were read afterwards); <c>bakery-questions-blind17.json</c> was written and committed
/// after the sentence change and before the next change and its first run (its misses were read
/// afterwards, after <c>bakery-questions-blind18.json</c> was written and committed, before the next
/// change and its first run); <c>bakery-questions-blind19.json</c> was written and committed after
/// the yes-or-no change, before the next change and before its first run, and only then were the
/// eighteenth's misses read; <c>bakery-questions-blind20.json</c> was written and committed after the
/// plural and notice changes, before the next change and before its first run, and only then were
/// the nineteenth's misses read; <c>bakery-questions-blind21.json</c> was written and committed after
/// the tasting and Roman-Urdu time changes, before the next change and before its first run, and only
/// then were the twentieth's misses read; <c>bakery-questions-blind22.json</c> was written and committed
/// after the "I'm after" change, before the next change and before its first run, and only then were
/// the twenty-first's misses read; <c>bakery-questions-blind23.json</c> was written and committed
/// after the "keep … aside" change, before the next change and before its first run, and only then
/// were the twenty-second's misses read; <c>bakery-questions-blind24.json</c> was written and committed
/// after the "put me in for" change, before the next change and before its first run, and only then
/// were the twenty-third's misses read; <c>bakery-questions-blind25.json</c> was written and committed
/// after the dietary-words change, before the next change and before its first run, and only then
/// were the twenty-fourth's misses read; <c>bakery-questions-blind26.json</c> was written and committed
/// after the "I'll go for" change, before the next change and before its first run, and only then
/// were the twenty-fifth's misses read; <c>bakery-questions-blind27.json</c> was written and committed
/// after the "collect at 9" change, before the "whip up" change and before its first run;
/// <c>bakery-questions-blind28.json</c> was written and committed after it, still before the "whip
/// up" change, and only then were the twenty-sixth's misses read (the "whip up" change) and then the
/// twenty-seventh's (the "get me" change); <c>bakery-questions-blind29.json</c> was written and
/// committed after the "get me" change, before the "lodge a grievance" change and before its first
/// run, and only then were the twenty-eighth's misses read; <c>bakery-questions-blind30.json</c> was
/// written and committed after the "lodge a grievance" change, before the "reach out to" change and
/// before its first run, and only then were the twenty-ninth's misses read;
/// <c>bakery-questions-tuning.json</c> is the half rules were tuned on. Per label: precision and recall; and the issue's goals — answers quoting the
/// answering sentence, off-topic declined without a handoff, "a person please" handed off,
/// in-scope-but-unknown handed off, flow intents starting their flow, and answers naming a price
/// the handbook does not have.
/// </summary>
public static partial class BakeryEvaluation
{
    private sealed record Case(string Label, string Question, string? Expect, string? Flow);

    /// <summary>The bakery takes orders: its catalog holds what the handbook prices.</summary>
    private static async Task AddCatalogAsync(WorkerServices services, Guid tenant)
    {
        await using var scope = services.ScopeFor(tenant);
        var db = scope.ServiceProvider.GetRequiredService<LeadsPeerDbContext>();
        var now = DateTimeOffset.UtcNow;
        db.OrderingSettings.Add(new OrderingSettings { TenantId = tenant, Enabled = true, Currency = "PKR", ReferencePrefix = "GB", Pickup = true, Delivery = true });
        foreach (var (sku, name, category, price) in new[]
                 {
                     ("FUDGE-1KG", "Chocolate fudge cake", "Cakes", 180000), ("VELVET-1KG", "Red velvet cake", "Cakes", 200000),
                     ("SPONGE-1KG", "Plain sponge cake", "Cakes", 120000), ("CUSTOM-1KG", "Custom cake", "Cakes", 250000),
                     ("SOURDOUGH", "Sourdough loaf", "Bread and pastries", 45000), ("CROISSANT", "Croissant", "Bread and pastries", 22000),
                 })
        {
            db.Products.Add(new Product { TenantId = tenant, Sku = sku, Name = name, Category = category, PriceMinor = price, CreatedAt = now, UpdatedAt = now });
        }

        await db.SaveChangesAsync();
    }

    /// <summary>
    /// The bakery books two services its customers ask for by name. The handbook does not mention
    /// them, so a question about them is in scope but unknown (handed off); a request for one books.
    /// </summary>
    private static async Task AddServicesAsync(WorkerServices services, Guid tenant)
    {
        await using var scope = services.ScopeFor(tenant);
        var db = scope.ServiceProvider.GetRequiredService<LeadsPeerDbContext>();
        var now = DateTimeOffset.UtcNow;
        var baker = Guid.NewGuid();
        db.BookingSettings.Add(new BookingSettings { TenantId = tenant, TimeZone = "Asia/Karachi", ReferencePrefix = "GBB" });
        foreach (var (name, minutes) in new[] { ("Cake consultation", 30), ("Cake tasting", 45) })
        {
            db.BookableServices.Add(new BookableService { TenantId = tenant, Name = name, DurationMinutes = minutes, StaffIds = [baker], CreatedAt = now, UpdatedAt = now });
        }

        await db.SaveChangesAsync();
    }

    private static readonly string[] Labels = ["answer", "decline", "handoff", "flow"];

    public static async Task RunAsync(WorkerServices services, Func<AgentSettings, string, Task<(AgentDecision Decision, double Best)>> decide)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Fixtures");
        var handbook = Path.Combine(folder, "bakery-handbook.md");
        var tenant = await services.AddTenantAsync("Garden Bakes");
        var document = await services.AddFileAsync(tenant, handbook);
        await services.IndexAsync(tenant, document);
        var settings = new AgentSettings { TenantId = tenant, BusinessName = "Garden Bakes", Domain = "a bakery in Lahore: cakes, custom cakes, bread, pastries and their delivery" };
        await AddCatalogAsync(services, tenant);
        await AddServicesAsync(services, tenant);
        var text = await File.ReadAllTextAsync(handbook);
        var headings = text.Split('\n').Where(l => l.StartsWith("## ", StringComparison.Ordinal)).Select(l => l[3..].Trim()).ToList();

        foreach (var (file, title) in new[]
                 {
                     ("bakery-questions.json", "held-out half: written and frozen before any rule was tuned"),
                     ("bakery-questions-fresh.json", "fresh held-out set: written and frozen before the second round of rules"),
                     ("bakery-questions-blind.json", "first blind set: written after the second round of rules and committed before its first run; the third round was written after its misses were read"),
                     ("bakery-questions-blind2.json", "second blind set: written and committed before the third round of rules and before its first run; the fourth round was written after its misses were read"),
                     ("bakery-questions-blind3.json", "third blind set: written and committed before the fourth round of rules and before its first run; the fifth was written after its misses were read"),
                     ("bakery-questions-blind4.json", "fourth blind set: written and committed before the fifth round (flow phrases) and before its first run; the sixth round was written after its misses were read"),
                     ("bakery-questions-blind5.json", "fifth blind set: written and committed before the sixth round (a request naming the catalog's items starts ordering) and before its first run; no rule or flow example is tuned on it but one (the owner asked for as a person, after its \"can I talk to the owner?\" was seen declined)"),
                     ("bakery-questions-blind6.json", "sixth blind set: written and committed before the seventh round (a booking request naming a service starts booking) and before its first run; the eighth round was written after its misses were read"),
                     ("bakery-questions-blind7.json", "seventh blind set: written and committed before the eighth round and before its first run; the ninth round was written after its misses were read"),
                     ("bakery-questions-blind8.json", "eighth blind set: written and committed before the ninth round, first run with the eighth round's rules; its misses were read before the ninth round was written"),
                     ("bakery-questions-blind9.json", "ninth blind set: written and committed before the ninth round and before its first run; the tenth round was written after its misses were read"),
                     ("bakery-questions-blind10.json", "tenth blind set: written and committed before the tenth round and before its first run; the eleventh round was written after its misses were read"),
                     ("bakery-questions-blind11.json", "eleventh blind set: written and committed before the eleventh round and before its first run; no rule or flow example is tuned on it"),
                     ("bakery-questions-blind12.json", "twelfth blind set: written and committed after the flows' example messages, before its first run; the twelfth round was written after its misses were read"),
                     ("bakery-questions-blind13.json", "thirteenth blind set: written and committed before the twelfth round and before its first run; the thirteenth round was written after its misses were read"),
                     ("bakery-questions-blind14.json", "fourteenth blind set: written and committed before the thirteenth round and before its first run; the fourteenth round was written after its misses were read"),
                     ("bakery-questions-blind15.json", "fifteenth blind set: written and committed before the fourteenth round and before its first run; its misses were read"),
                     ("bakery-questions-blind16.json", "sixteenth blind set: written and committed after the fourteenth round, before the sentence change and before its first run; its misses were read"),
                     ("bakery-questions-blind17.json", "seventeenth blind set: written and committed after the sentence change, before the exception change and before its first run; its misses were read after the eighteenth was committed"),
                     ("bakery-questions-blind18.json", "eighteenth blind set: written and committed after the exception change, before the yes-or-no change and before its first run; its misses were read after the nineteenth was committed"),
                     ("bakery-questions-blind19.json", "nineteenth blind set: written and committed after the yes-or-no change, before the plural and notice changes and before its first run; its misses were read after the twentieth was committed"),
                     ("bakery-questions-blind20.json", "twentieth blind set: written and committed after the plural and notice changes, before the tasting and Roman-Urdu time changes and before its first run; its misses were read after the twenty-first was committed"),
                     ("bakery-questions-blind21.json", "twenty-first blind set: written and committed after the tasting and Roman-Urdu time changes, before the \"I'm after\" change and before its first run; its misses were read after the twenty-second was committed"),
                     ("bakery-questions-blind22.json", "twenty-second blind set: written and committed after the \"I'm after\" change, before the \"keep … aside\" change and before its first run; its misses were read after the twenty-third was committed"),
                     ("bakery-questions-blind23.json", "twenty-third blind set: written and committed after the \"keep … aside\" change, before the \"put me in for\" change and before its first run; its misses were read after the twenty-fourth was committed"),
                     ("bakery-questions-blind24.json", "twenty-fourth blind set: written and committed after the \"put me in for\" change, before the dietary-words change and before its first run; its misses were read after the twenty-fifth was committed"),
                     ("bakery-questions-blind25.json", "twenty-fifth blind set: written and committed after the dietary-words change, before the \"I'll go for\" change and before its first run; its misses were read after the twenty-sixth was committed"),
                     ("bakery-questions-blind26.json", "twenty-sixth blind set: written and committed after the \"I'll go for\" change, before the \"collect at 9\" change and before its first run; its misses were read after the twenty-eighth was committed"),
                     ("bakery-questions-blind27.json", "twenty-seventh blind set: written and committed after the \"collect at 9\" change, before the \"whip up\" change and before its first run; its misses were read after the twenty-eighth was committed and the \"whip up\" change made"),
                     ("bakery-questions-blind28.json", "twenty-eighth blind set: written and committed after the twenty-seventh, before the \"whip up\" and \"get me\" changes and before its first run; its misses were read after the twenty-ninth was committed"),
                     ("bakery-questions-blind29.json", "twenty-ninth blind set: written and committed after the \"get me\" change, before the \"lodge a grievance\" change and before its first run; its misses were read after the thirtieth was committed"),
                     ("bakery-questions-blind30.json", "thirtieth blind set: written and committed after the \"lodge a grievance\" change, before the \"reach out to\" change and before its first run"),
                     ("bakery-questions-tuning.json", "tuning half: rules were tuned on these"),
                 })
        {
            var cases = JsonSerializer.Deserialize<List<Case>>(await File.ReadAllTextAsync(Path.Combine(folder, file)), JsonSerializerOptions.Web)!;
            Console.WriteLine();
            Console.WriteLine($"Bakery handbook — {title} ({cases.Count} messages: {string.Join(", ", Labels.Select(l => $"{cases.Count(c => c.Label == l)} {l}"))})");
            var results = new List<(Case Case, AgentDecision Decision)>();
            var took = new List<double>();
            foreach (var c in cases)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var (decision, best) = await decide(settings, c.Question);
                took.Add(clock.Elapsed.TotalMilliseconds);
                results.Add((c, decision));
                Console.WriteLine($"  {(Right(c, decision) ? "ok  " : "MISS")} best {best:0.000}  [{c.Label}{(c.Flow is null ? "" : $" {c.Flow}")}] {c.Question}  → {Describe(decision)}");
            }

            Report(results, headings, text);
            Console.WriteLine($"  Time to decide (search, sentences when needed, answer; in process): p50 {Percentiles.Of(took, 50):0} ms, p95 {Percentiles.Of(took, 95):0} ms, max {took.Max():0} ms");
        }

        // The language-model path's check, on answers a model would write (our own, one per answer
        // question, correct but in its own words and number formats): how often a right answer is refused.
        var written = JsonSerializer.Deserialize<List<WrittenAnswer>>(await File.ReadAllTextAsync(Path.Combine(folder, "bakery-llm-answers.json")), JsonSerializerOptions.Web)!;
        var refused = written.Select(w => (w, Invented: GroundingCheck.Ungrounded(w.Answer, [text, w.Question]))).Where(r => r.Invented is not null).ToList();
        Console.WriteLine();
        Console.WriteLine($"Grounding check on {written.Count} correct answers in a model's words (bakery-llm-answers.json): refused {refused.Count} = {Percent(refused.Count, written.Count)}");
        foreach (var (answer, invented) in refused)
        {
            Console.WriteLine($"  refused: \"{answer.Answer}\" — {invented}");
        }
    }

    private sealed record WrittenAnswer(string Question, string Answer);

    private static void Report(List<(Case Case, AgentDecision Decision)> results, List<string> headings, string handbook)
    {
        foreach (var label in Labels)
        {
            var labelled = results.Count(r => r.Case.Label == label);
            var predicted = results.Count(r => Label(r.Decision) == label);
            var right = results.Count(r => r.Case.Label == label && Label(r.Decision) == label);
            Console.WriteLine($"  {label}: recall {right}/{labelled} = {Percent(right, labelled)}, precision {right}/{predicted} = {Percent(right, predicted)}");
        }

        var answers = results.Where(r => r.Case.Label == "answer").ToList();
        var quoting = answers.Count(r => Right(r.Case, r.Decision));
        var declines = results.Where(r => r.Case.Label == "decline").ToList();
        var person = results.Where(r => r.Case.Label == "handoff" && AsksForPerson(r.Case.Question)).ToList();
        var unknown = results.Where(r => r.Case.Label == "handoff" && !AsksForPerson(r.Case.Question)).ToList();
        var flows = results.Where(r => r.Case.Label == "flow").ToList();
        var sent = results.Select(r => r.Decision).OfType<AgentDecision.Answer>().ToList();
        // A heading quoted is followed by its section's first sentence ("Delivery We deliver…"); a
        // sentence that opens with the heading's word ("Delivery costs…") is not one.
        var withHeading = sent.Count(a => headings.Any(h => a.Text.StartsWith(h + " ", StringComparison.OrdinalIgnoreCase)
            && a.Text.Length > h.Length + 1 && char.IsUpper(a.Text[h.Length + 1])));
        var invented = sent.Count(a => GroundingCheck.Ungrounded(a.Text, [handbook]) is not null);
        Console.WriteLine($"  Answers quoting the answering sentence: {quoting}/{answers.Count} = {Percent(quoting, answers.Count)} (goal ≥ 90%)");
        Console.WriteLine($"  Off-topic declined without handoff: {Count(declines)} (goal ≥ 95%)");
        Console.WriteLine($"  \"A person please\" handed off: {Count(person)} (goal 100%)");
        Console.WriteLine($"  In scope but not in the handbook, handed off: {Count(unknown)} (goal ≥ 90%)");
        Console.WriteLine($"  Flow intents starting their flow: {Count(flows)} (goal ≥ 90%)");
        Console.WriteLine($"  Answers opening with a heading: {withHeading}/{sent.Count}; answers naming a price, time, phone or link not in the handbook: {invented} (goal 0)");
    }

    private static bool Right(Case c, AgentDecision decision) => c.Label == Label(decision) && decision switch
    {
        AgentDecision.Answer answer => c.Expect is null || answer.Text.Contains(c.Expect, StringComparison.OrdinalIgnoreCase),
        AgentDecision.Flow flow => flow.FlowName == c.Flow,
        _ => true,
    };

    private static string Label(AgentDecision decision) => decision switch
    {
        AgentDecision.Answer => "answer",
        AgentDecision.Decline => "decline",
        AgentDecision.Flow => "flow",
        _ => "handoff",
    };

    // The evaluation's own reading of "asks for a person", separate from the product's rule it measures.
    private static bool AsksForPerson(string question) => PersonWords().IsMatch(question);

    [GeneratedRegex(@"\b(person|human|manager|agent|operator|someone)\b", RegexOptions.IgnoreCase)]
    private static partial Regex PersonWords();

    private static string Count(List<(Case Case, AgentDecision Decision)> cases)
    {
        var right = cases.Count(r => Right(r.Case, r.Decision));
        return $"{right}/{cases.Count} = {Percent(right, cases.Count)}";
    }

    private static string Describe(AgentDecision decision) => decision switch
    {
        AgentDecision.Answer a => $"Answer: {Shorten(a.Text)}",
        AgentDecision.Flow f => $"Flow {f.FlowName}",
        // A reason in full: the figures it gives (how near the knowledge, the examples) are what a reader tunes by.
        _ => $"{decision.Outcome}: {decision.Reason.ReplaceLineEndings(" ")}",
    };

    private static string Percent(int part, int whole) => whole == 0 ? "—" : $"{100.0 * part / whole:0}%";

    private static string Shorten(string text) => text.ReplaceLineEndings(" ") is { Length: > 90 } t ? t[..90] + "…" : text.ReplaceLineEndings(" ");
}
