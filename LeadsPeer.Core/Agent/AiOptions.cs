namespace LeadsPeer.Core.Agent;

public enum AiProvider
{
    /// <summary>In-process embeddings (all-MiniLM-L6-v2) and the extractive answerer: no key, no network.</summary>
    Local,

    /// <summary>Any OpenAI-compatible endpoint: OpenAI, Azure OpenAI, Ollama, vLLM.</summary>
    OpenAI,
}

/// <summary>
/// Where answers and embeddings come from. The default runs fully offline; any OpenAI-compatible
/// endpoint is configuration, not code. One embedding model (and dimension) per deployment:
/// changing it re-embeds every organisation's chunks.
/// </summary>
public sealed class AiOptions
{
    public const string Section = "AI";
    public const string LocalEmbeddingModel = "all-MiniLM-L6-v2";
    public const int LocalEmbeddingDimensions = 384;

    /// <summary>
    /// The similarity (cosine, all-MiniLM-L6-v2) the best passage needs before the local answerer
    /// quotes it rather than handing off. Calibrated on the evaluation of the five eShopSupport
    /// manuals (<c>./scripts/evaluate-agent.sh</c>): their ground-truth questions' best passages
    /// scored 0.518–0.855, the 24 questions that must not be answered 0.098–0.481; 0.50 sits
    /// between the two.
    /// </summary>
    public const double DefaultAnswerThreshold = 0.50;

    public AiProvider Provider { get; set; } = AiProvider.Local;

    /// <summary>An OpenAI-compatible base address including <c>/v1</c>; empty means OpenAI's own.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The endpoint's key (any non-empty text for servers that want none, such as Ollama).</summary>
    public string? ApiKey { get; set; }

    public string ChatModel { get; set; } = "gpt-4o-mini";
    public string EmbeddingModel { get; set; } = "text-embedding-3-small";

    /// <summary>The remote embedding model's dimension (at most 2,000: pgvector's HNSW limit).</summary>
    public int EmbeddingDimensions { get; set; } = 1536;

    /// <summary>
    /// The similarity (all-MiniLM-L6-v2) a question needs to the knowledge's best passage, or to
    /// the business's declared domain, to count as the business's subject. Below it the local
    /// answerer declines (no one is paged); above it, but below <see cref="AnswerThreshold"/>, the
    /// question is the business's but the knowledge does not answer it: a person is needed.
    /// Calibrated by <c>./scripts/evaluate-agent.sh</c>.
    /// </summary>
    public const double DefaultScopeThreshold = 0.25;

    public double ScopeThreshold { get; set; } = DefaultScopeThreshold;

    /// <summary>The deployment's default for the organisations' confidence threshold.</summary>
    public double AnswerThreshold { get; set; } = DefaultAnswerThreshold;

    /// <summary>
    /// The similarity (all-MiniLM-L6-v2) a question needs to one sentence of a retrieved passage
    /// for the local answerer to quote that sentence when the passage as a whole scored below the
    /// answer threshold: a short question ("When is the bread baked?") is far from a paragraph
    /// but close to the sentence that answers it. Tuned on the bakery evaluation's tuning half,
    /// where the answering sentences scored 0.63–0.86 and the handoff questions' nearest
    /// sentences 0.16–0.58 (<c>./scripts/evaluate-agent.sh --bakery</c>).
    /// </summary>
    public const double DefaultSentenceThreshold = 0.60;

    public double SentenceThreshold { get; set; } = DefaultSentenceThreshold;

    /// <summary>Passages given to the answerer per question.</summary>
    public int ContextPassages { get; set; } = 5;

    public string ActiveEmbeddingModel => Provider == AiProvider.Local ? LocalEmbeddingModel : EmbeddingModel;

    public int ActiveEmbeddingDimensions => Provider == AiProvider.Local ? LocalEmbeddingDimensions : EmbeddingDimensions;

    /// <summary>What answers the customers, in the words the settings page shows.</summary>
    public string AnswererDescription => Provider == AiProvider.Local
        ? "Local answerer (no AI model): replies quote the passage of your knowledge that best matches the question, decline politely what is outside your business, and hand the conversation to your team when your business is asked about but your knowledge does not answer. It does not write new sentences."
        : $"Language model {ChatModel}: writes replies from the passages of your knowledge that match the question, and declines what is outside your business, and hands the conversation to your team when the passages do not answer it.";
}
