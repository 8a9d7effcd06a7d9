using LeadsPeer.Core.Agent;
using LeadsPeer.Core.Bookings;
using LeadsPeer.Core.Knowledge;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;

namespace LeadsPeer.Worker.Agent;

/// <summary>
/// What the local answerer weighs besides the passages' own similarity: each sentence of the
/// nearest passages (by meaning, the question's words, and the kind of fact asked for), and how
/// close the question is to what the business says it does.
/// </summary>
public sealed partial class AgentReplyComposer
{
    /// <summary>
    /// For a turn no passage as a whole answers: each passage's best sentence and the line it must
    /// reach, or null when no sentence may answer — when the question is about something the
    /// knowledge never names ("vegan croissants": a sentence about croissants does not answer it).
    /// A question with such a word that asks for a kind of fact ("what time is the bread ready?")
    /// is the exception: a sentence holding that kind of fact may answer it, when most of its words
    /// are known and the sentence is nearer than usual ("how long will a loaf keep?" is not
    /// answered by its price).
    /// </summary>
    private async Task<(IReadOnlyList<SentenceMatch?> Matches, double Threshold)?> SentencesIfAnyAnswerAsync(
        string question, string words, string query, IReadOnlyList<KnowledgePassage> passages, IReadOnlyList<string> topical, IReadOnlyList<string> unknown,
        CancellationToken cancellationToken)
    {
        var factAsked = unknown.Count > 0 && QuestionWords.IsQuestion(question) && AnswerKinds.Asked(question) != AnswerKind.None
            && topical.Count(w => !unknown.Contains(w)) >= unknown.Count;
        if (unknown.Count == 0 || factAsked)
        {
            return (await NearestSentencesAsync(words, query, passages, mustHoldFact: factAsked, cancellationToken), ai.Value.SentenceThreshold + (factAsked ? UnknownWordSentenceMargin : 0));
        }

        // Words the knowledge lacks are often only the asker's ("does the delivery boy carry a card
        // machine?"): to a yes-or-no question, a sentence holding two or more of the words the
        // knowledge has ("card payments are also accepted on delivery") may still answer. Not to
        // "how long will a sourdough loaf keep?": its sourdough sentence holds a price, not how long.
        var known = ExtractiveAnswerer.Stems(string.Join(' ', topical.Where(w => !unknown.Contains(w))));
        return QuestionWords.IsYesNo(question) && known.Count >= KnownWordsHeld
            ? (await NearestSentencesAsync(words, query, passages, mustHoldFact: false, cancellationToken, known), ai.Value.SentenceThreshold)
            : null;
    }

    /// <summary>
    /// Each passage's sentence that best answers the question (null for a passage with none),
    /// scored by <see cref="SentenceScore"/>. The passages' sentences are embedded here, in one
    /// batch (the question's vector is the turn's, embedded once), only for a turn that no whole passage answers — a few short
    /// sentences of the top passages.
    /// </summary>
    private async Task<IReadOnlyList<SentenceMatch?>> NearestSentencesAsync(
        string question, string query, IReadOnlyList<KnowledgePassage> passages, bool mustHoldFact, CancellationToken cancellationToken,
        IReadOnlySet<string>? mustHold = null)
    {
        // The sentences of the few passages nearest the question: the answer is in one of them when
        // it is anywhere, and each sentence more is an embedding on this turn's time.
        var nearest = passages.Select((p, i) => (p, i)).OrderByDescending(x => x.p.Similarity ?? 0).Take(SentencePassages).Select(x => x.i).ToHashSet();
        var kind = AnswerKinds.Asked(question);
        if (kind is AnswerKind.Phone or AnswerKind.Address)
        {
            // A number or an address answers "where are you?" however far its passage reads, and few passages hold one.
            nearest.UnionWith(passages.Select((p, i) => (p, i)).Where(x => AnswerKinds.Holds(x.p.Quotable, kind)).Select(x => x.i));
        }

        var split = passages.Select((p, i) => p.Kind == KnowledgeKind.Faq || !nearest.Contains(i) ? [] : ExtractiveAnswerer.Sentences(p.Quotable)).ToList();
        if (embeddings is null || split.All(s => s.Count == 0))
        {
            return [.. passages.Select(_ => (SentenceMatch?)null)];
        }

        var vectors = await embeddings.GenerateAsync([.. split.SelectMany(s => s)], cancellationToken: cancellationToken);
        var questionVector = await VectorOfAsync(query, cancellationToken);
        // Shared words are counted among those the question is about ("sunday", "open" of "sunday ko
        // kab tak open ho?"), not the words any question is made of; a question of those alone
        // ("can I call you?") counts them all.
        var content = QuestionWords.Content(question);
        var words = ExtractiveAnswerer.Stems(content.Count > 0 ? string.Join(' ', content) : question);
        var namesWhen = DayNames.NamesWhen(question);
        var next = 0;
        var matches = new List<SentenceMatch?>();
        foreach (var sentences in split)
        {
            SentenceMatch? best = null;
            for (var i = 0; i < sentences.Count; i++, next++)
            {
                if (mustHoldFact && !AnswerKinds.Holds(sentences[i], kind))
                {
                    continue; // the question has a word the knowledge lacks: only the fact it asks for answers it
                }

                if (mustHold is not null && ExtractiveAnswerer.Stems(sentences[i]).Count(mustHold.Contains) < KnownWordsHeld)
                {
                    continue; // only a sentence holding what the question asks about, in the knowledge's words
                }

                var score = SentenceScore(System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(questionVector.Span, vectors[next].Vector.Span), words, kind, sentences[i], namesWhen);
                if (best is null || score > best.Similarity)
                {
                    best = new SentenceMatch(i, score);
                }
            }

            matches.Add(best);
        }

        return matches;
    }

    /// <summary>
    /// How well a sentence answers: its cosine similarity to the question, plus the share of the
    /// question's words it holds ("credit cards" in "…debit and credit cards…" counts, where the
    /// sentence model alone scores 0.47), plus the kind of fact asked for when it holds one (a
    /// phone number for "your number?"), less when it answers an exception the question does not ask
    /// about ("till when are you open tonight?" is not answered by Sunday's or Ramadan's hours).
    /// The weights were tuned on the evaluation's tuning half.
    /// </summary>
    internal static double SentenceScore(double cosine, IReadOnlySet<string> questionWords, AnswerKind kind, string sentence, bool questionNamesWhen = false)
    {
        // A day the question names is held by a sentence that covers it: "Friday" by "Monday to Saturday".
        var held = ExtractiveAnswerer.Stems(sentence);
        var days = DayNames.In(sentence);
        var share = questionWords.Count == 0 ? 0
            : (double)questionWords.Count(w => held.Contains(w) || (days.Count > 0 && DayNames.IsDay(w) && DayNames.In(w).Overlaps(days))) / questionWords.Count;
        return cosine + (SentenceWordWeight * share) + (!AnswerKinds.Holds(sentence, kind) ? 0
            : kind is AnswerKind.Phone or AnswerKind.Address ? SentenceContactWeight : SentenceKindWeight)
            - (!questionNamesWhen && DayNames.IsSpecialCase(sentence) ? SpecialCaseWeight : 0);
    }

    /// <summary>
    /// A sentence about one or two days, a season or an occasion, for a question that names none:
    /// the usual answers it, the exception does not. More than <see cref="SentenceKindWeight"/>, so
    /// an exception does not win on holding a time alone; chosen, not tuned (the read sets gave two
    /// answers more and none fewer at this value).
    /// </summary>
    private const double SpecialCaseWeight = 0.15;

    private const double SentenceWordWeight = 0.30;

    /// <summary>
    /// How many of a yes-or-no question's known words a sentence must hold when the question has
    /// unknown ones too. Two, not one: one shared word names the thing ("are your croissants made
    /// with butter?" and "Croissants cost Rs. 220 each."), not what is asked about it.
    /// </summary>
    private const int KnownWordsHeld = 2;

    /// <summary>
    /// How much nearer than <see cref="AiOptions.SentenceThreshold"/> a sentence holding the fact
    /// asked for must be when the question has a word the knowledge never uses. Measured on the
    /// bakery's sets: at 0.10, "what time is the bread ready in the morning?" is answered and no
    /// question the team should answer is.
    /// </summary>
    private const double UnknownWordSentenceMargin = 0.10;

    /// <summary>A phone number or an address is the whole answer to "your number?": few sentences hold one.</summary>
    private const double SentenceContactWeight = 0.35;

    /// <summary>A price or a time: many sentences of a handbook hold one, so it weighs less.</summary>
    private const double SentenceKindWeight = 0.10;

    /// <summary>How close the question is to what the business says it does (0 when it says nothing).</summary>
    private async Task<double> DomainSimilarityAsync(string question, string? domain, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(domain) || embeddings is null)
        {
            return 0;
        }

        // A domain changes only when its settings are saved: embedded once per process, not per turn.
        if (!DomainVectors.TryGetValue(domain, out var domainVector))
        {
            domainVector = (await embeddings.GenerateAsync([domain], cancellationToken: cancellationToken))[0].Vector.ToArray();
            if (DomainVectors.Count >= MaxCachedDomains)
            {
                DomainVectors.Clear();
            }

            DomainVectors[domain] = domainVector;
        }

        var questionVector = await VectorOfAsync(question, cancellationToken);
        return System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(questionVector.Span, domainVector);
    }

    /// <summary>
    /// A text of the turn embedded once, however many readings use it (its nearness to the domain,
    /// to the sentences, to the scope's and the flows' examples): the composer is scoped to one run.
    /// </summary>
    private Task<ReadOnlyMemory<float>> VectorOfAsync(string text, CancellationToken cancellationToken)
    {
        if (!_vectors.TryGetValue(text, out var vector))
        {
            if (_vectors.Count >= MaxTurnVectors)
            {
                _vectors.Clear(); // a scope that outlives a turn (a test's, an evaluation's) keeps only the latest
            }

            _vectors[text] = vector = EmbedAsync(text, cancellationToken);
        }

        return vector;
    }

    private async Task<ReadOnlyMemory<float>> EmbedAsync(string text, CancellationToken cancellationToken) =>
        (await embeddings!.GenerateAsync([text], cancellationToken: cancellationToken))[0].Vector;

    /// <summary>A turn embeds its question, its expanded query and its words without names: a few texts.</summary>
    private const int MaxTurnVectors = 8;

    private readonly Dictionary<string, Task<ReadOnlyMemory<float>>> _vectors = new(StringComparer.Ordinal);

    private const int MaxCachedDomains = 10_000;

    /// <summary>
    /// Whether the question names one of the business's products or the services it books ("a
    /// tasting" for its cake tasting): its subject, never declined. Read only for a turn about to be
    /// declined or judged out of scope, the few that need it.
    /// </summary>
    private async Task<bool> SpeaksOfOwnAsync(string question, string words, CancellationToken cancellationToken) =>
        await catalog.SpeaksOfProductsAsync(question, cancellationToken)
        || BookingRequest.Named(words, await db.BookableServices.AsNoTracking().Offered().ToListAsync(cancellationToken)).Count > 0;

    /// <summary>
    /// Below this closeness, a question none of whose words the knowledge has is declined. On the
    /// evaluation's sets the two overlap: off-topic questions score up to 0.28–0.30 ("a table at a
    /// restaurant", "bitcoin"), and the business's own whose words are all new from 0.28 ("do you
    /// sell samosas?", "brownies", "organic ingredients"). Declining the business's own customer is
    /// the worse error, so the line sits at the bottom of theirs: a few off-topic ones go to the team.
    /// </summary>
    private const double UnknownWordsScope = 0.28;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, float[]> DomainVectors = new(StringComparer.Ordinal);
}
