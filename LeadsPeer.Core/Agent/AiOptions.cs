namespace LeadsPeer.Core.Agent;

/// <summary>
/// Where answers and embeddings come from. With no endpoint and key the product runs fully
/// offline (local embeddings and a local answerer); any OpenAI-compatible endpoint is
/// configuration, not code.
/// </summary>
public sealed class AiOptions
{
    public const string Section = "AI";

    /// <summary>An OpenAI-compatible base address including <c>/v1</c>; empty means OpenAI's own.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Empty: use the local models.</summary>
    public string? ApiKey { get; set; }

    public string ChatModel { get; set; } = "gpt-4o-mini";
    public string EmbeddingModel { get; set; } = "text-embedding-3-small";

    public bool UsesRemoteModels => !string.IsNullOrWhiteSpace(ApiKey);
}
