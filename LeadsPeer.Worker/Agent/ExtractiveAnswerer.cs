using System.Globalization;
using System.Text.RegularExpressions;
using LeadsPeer.Core.Agent;
using LeadsPeer.Core.Knowledge;
using Microsoft.Extensions.AI;

namespace LeadsPeer.Worker.Agent;

/// <summary>
/// The local provider's answerer: an <see cref="IChatClient"/> with no language model behind
/// it. When the best passage's similarity to the question clears the threshold, it replies
/// with that passage's most relevant sentences, cited; when nothing of the business is near
/// the question (its best passage and the declared domain are both below the scope threshold)
/// it calls <c>decline</c>; otherwise — the business's subject, not in its knowledge — <c>hand_off</c>.
/// It never writes a sentence of its own, so it cannot invent anything — and it says so on the
/// settings page.
/// </summary>
public sealed partial class ExtractiveAnswerer : IChatClient
{
    /// <summary>About what fits on a phone screen: a few sentences of the passage.</summary>
    public const int MaxAnswerLength = 700;

    /// <summary>The call id of its <c>hand_off</c> for the business's subject not in the knowledge (the agent settings say whether that hands over).</summary>
    public const string UnansweredCallId = "call_local_handoff";

    private static readonly ChatClientMetadata Metadata = new("LeadsPeer.Extractive", defaultModelId: "extractive");

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var all = messages.ToList();
        var contents = all.SelectMany(m => m.Contents).ToList();
        var threshold = contents.Select(c => c.AdditionalProperties?.TryGetValue(AgentPrompt.ThresholdKey, out var t) == true ? Convert.ToDouble(t, CultureInfo.InvariantCulture) : (double?)null)
            .FirstOrDefault(t => t is not null) ?? 0.5;
        var best = contents
            .Where(c => c.AdditionalProperties?.ContainsKey(AgentPrompt.PassageKey) == true)
            .Select(c => (Quote: c.AdditionalProperties![AgentPrompt.QuoteKey]?.ToString(),
                Whole: c.AdditionalProperties.TryGetValue(AgentPrompt.WholeKey, out var whole) && whole is true,
                Number: Convert.ToInt32(c.AdditionalProperties![AgentPrompt.PassageKey], CultureInfo.InvariantCulture),
                Similarity: Convert.ToDouble(c.AdditionalProperties[AgentPrompt.SimilarityKey], CultureInfo.InvariantCulture)))
            .OrderByDescending(p => p.Similarity)
            .FirstOrDefault();
        var question = all.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
        var scope = Annotation(contents, AgentPrompt.ScopeKey) ?? 1.0;
        var scopeThreshold = Annotation(contents, AgentPrompt.ScopeThresholdKey) ?? 0.0;
        var sentenceThreshold = Annotation(contents, AgentPrompt.SentenceThresholdKey) ?? 1.0;
        // The passage holding the sentence nearest the question, when no passage as a whole is near enough.
        var nearest = contents
            .Where(c => c.AdditionalProperties?.ContainsKey(AgentPrompt.SentenceKey) == true)
            .Select(c => (Quote: c.AdditionalProperties![AgentPrompt.QuoteKey]?.ToString(),
                Whole: c.AdditionalProperties.TryGetValue(AgentPrompt.WholeKey, out var whole) && whole is true,
                Number: Convert.ToInt32(c.AdditionalProperties![AgentPrompt.PassageKey], CultureInfo.InvariantCulture),
                Sentence: Convert.ToInt32(c.AdditionalProperties[AgentPrompt.SentenceKey], CultureInfo.InvariantCulture),
                Similarity: Convert.ToDouble(c.AdditionalProperties[AgentPrompt.SentenceSimilarityKey], CultureInfo.InvariantCulture)))
            .OrderByDescending(p => p.Similarity)
            .FirstOrDefault();

        ChatMessage reply;
        if (best.Quote is not null && best.Similarity >= threshold)
        {
            reply = new ChatMessage(ChatRole.Assistant, $"{Excerpt(best.Quote, question, best.Whole)} [{best.Number}]");
        }
        else if (nearest.Quote is not null && nearest.Similarity >= sentenceThreshold)
        {
            reply = new ChatMessage(ChatRole.Assistant, $"{Excerpt(nearest.Quote, question, nearest.Whole, nearest.Sentence)} [{nearest.Number}]");
        }
        else if (scope < scopeThreshold)
        {
            // Nothing of the business is near the question: decline, nobody is paged.
            var reason = string.Create(CultureInfo.InvariantCulture,
                $"Outside the business: the question is far from the knowledge and from what the business does (closest {scope:0.00}, needs {scopeThreshold:0.00}).");
            reply = new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_local_decline", "decline", new Dictionary<string, object?> { ["reason"] = reason })]);
        }
        else
        {
            var reason = best.Quote is null
                ? "No passage of the knowledge matches the customer's question."
                : nearest.Quote is null
                    ? string.Create(CultureInfo.InvariantCulture, $"No passage of the knowledge answers the customer's question well enough (best match {best.Similarity:0.00}, needs {threshold:0.00}).")
                    : string.Create(CultureInfo.InvariantCulture,
                        $"No passage of the knowledge answers the customer's question well enough (best match {best.Similarity:0.00}, needs {threshold:0.00}; nearest sentence {nearest.Similarity:0.00}, needs {sentenceThreshold:0.00}).");
            reply = new ChatMessage(ChatRole.Assistant, [new FunctionCallContent(UnansweredCallId, "hand_off", new Dictionary<string, object?> { ["reason"] = reason })]);
        }

        return Task.FromResult(new ChatResponse(reply) { ModelId = "extractive", FinishReason = reply.Contents.OfType<FunctionCallContent>().Any() ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop });
    }

    private static double? Annotation(IEnumerable<AIContent> contents, string key) =>
        contents.Select(c => c.AdditionalProperties?.TryGetValue(key, out var value) == true ? Convert.ToDouble(value, CultureInfo.InvariantCulture) : (double?)null)
            .FirstOrDefault(v => v is not null);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var update in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? Metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    /// <summary>
    /// The sentences that answer, not the passage: the sentence sharing most words with the
    /// question, a sentence holding the kind of fact asked for counting one more (the first of equals), with the sentences after it while they still share a word
    /// with the question and fit <see cref="MaxSentencesLength"/>; a day the question names picks a
    /// sentence that covers it (<see cref="DayNames"/>), and a question naming none starts at the
    /// usual rather than at an exception of equal words. Numbering left over from the
    /// document's headings ("4.", "2.1:") is never a sentence. An FAQ answer is quoted whole: it
    /// is the business's own reply.
    /// </summary>
    internal static string Excerpt(string passage, string question, bool whole = false, int? from = null)
    {
        passage = passage.Trim();
        if (whole)
        {
            return passage.Length <= MaxAnswerLength ? passage : passage[..(MaxAnswerLength - 1)] + "…";
        }

        var sentences = Sentences(passage);
        if (sentences.Count == 0)
        {
            return passage.Length <= MaxAnswerLength ? passage : passage[..(MaxAnswerLength - 1)] + "…";
        }

        // From the sentence nearest in meaning when one was found, else the one sharing most words.
        var keywords = Stems(question);
        // A sentence holding the kind of fact asked for (a price for "how much") counts as one word more.
        var kind = AnswerKinds.Asked(question);
        // An exception (Sundays, Ramadan) answers a question that names it; one that names no day is asked about the usual.
        var namesWhen = DayNames.NamesWhen(question);
        var scores = sentences.Select(x => Stems(x).Count(keywords.Contains) + (AnswerKinds.Holds(x, kind) ? 1 : 0) - (!namesWhen && DayNames.IsSpecialCase(x) ? ExceptionWords : 0)).ToList();
        var first = from is { } index && index >= 0 && index < sentences.Count ? index : scores.IndexOf(scores.Max());
        // A day the question names ("do you close early on Saturdays?") is answered by the sentence
        // that covers it ("Monday to Saturday …"), not by another day's that reads nearer.
        var days = DayNames.In(question);
        if (days.Count > 0 && !days.Overlaps(DayNames.In(sentences[first]))
            && Enumerable.Range(0, sentences.Count).Where(i => days.Overlaps(DayNames.In(sentences[i]))).ToList() is { Count: > 0 } covering)
        {
            first = covering.MaxBy(i => scores[i]);
        }

        var last = first;
        var length = sentences[first].Length;
        while (last + 1 < sentences.Count && scores[last + 1] > 0 && length + sentences[last + 1].Length + 1 <= MaxSentencesLength)
        {
            length += sentences[++last].Length + 1;
        }

        var excerpt = string.Join(' ', sentences.Skip(first).Take(last - first + 1));
        return excerpt.Length <= MaxAnswerLength ? excerpt : excerpt[..(MaxAnswerLength - 1)] + "…";
    }

    /// <summary>
    /// What an exception the question does not name costs a sentence, in shared words: less than
    /// one, so it still wins with a word more than the usual, and a sentence after the usual still
    /// follows it while it shares a word.
    /// </summary>
    private const double ExceptionWords = 0.5;

    /// <summary>A passage's sentences, as the answerer quotes them (heading numbering is not one).</summary>
    public static IReadOnlyList<string> Sentences(string passage) =>
        [.. SentenceEnd().Split(passage.Trim()).Select(x => x.Trim()).Where(x => x.Length > 0 && !Numbering().IsMatch(x))];

    /// <summary>The question's words without the endings that hide a match: "ordered", "orders" and "order" are one word.</summary>
    internal static HashSet<string> Stems(string text) => [.. KnowledgeKeywords.From(text).Select(KnowledgeKeywords.Stem)];

    /// <summary>A sentence or two, as a person would answer; longer only when one sentence is.</summary>
    public const int MaxSentencesLength = 350;

    [GeneratedRegex(@"^\d+(\.\d+)*[.:)]?$")]
    private static partial Regex Numbering();

    // A sentence ends at . ! or ? before a capital (or a quote, a bracket): "Rs. 2,500", "No. 4" and "e.g. nuts" go on.
    [GeneratedRegex(@"(?<=[.!?])(?<!\b(?:Rs|No|Dr|Mr|Mrs|Ms|St|vs|etc|approx|e\.g|i\.e)\.)\s+(?=[\p{Lu}\p{N}""“(\[])")]
    private static partial Regex SentenceEnd();
}
