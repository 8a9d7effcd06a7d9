using System.Numerics.Tensors;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace LeadsPeer.Worker.Agent;

/// <summary>
/// Example messages of a few kinds, from a JSON resource of the Worker (<c>{ "kind": ["…", …] }</c>),
/// embedded once per process by the first turn that needs them; a message reads as near each kind
/// as the mean similarity of that kind's <see cref="Nearest"/> nearest examples, so one odd example
/// does not decide. The flows' and the scope's readings (<see cref="FlowExamples"/>,
/// <see cref="ScopeExamples"/>) are two such sets.
/// </summary>
public sealed class ExampleSet(IEmbeddingGenerator<string, Embedding<float>> embeddings, string resource, Func<JsonDocument, IEnumerable<(string Kind, string Text)>> read)
{
    private const int Nearest = 3;

    /// <summary>
    /// Embedded once per process, by the first turn that needs them (a second or two on 2 cores for
    /// a few hundred): most Workers' turns are answered, and a warm-up at every start would cost each
    /// Worker that much.
    /// </summary>
    private readonly Lazy<Task<IReadOnlyList<(string Kind, float[] Vector)>>> _examples = new(() => EmbedAsync(embeddings, resource, read));

    /// <summary>
    /// How near a message whose embedding is <paramref name="vector"/> reads to each kind (the
    /// caller embeds it once for every reading of its turn). Throws when the examples cannot be
    /// embedded (the model failed to run).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, double>> NearnessAsync(ReadOnlyMemory<float> vector, CancellationToken cancellationToken)
    {
        var examples = await _examples.Value.WaitAsync(cancellationToken);
        return examples
            .GroupBy(e => e.Kind)
            .ToDictionary(
                g => g.Key,
                g => g.Select(e => (double)TensorPrimitives.CosineSimilarity(e.Vector, vector.Span)).OrderDescending().Take(Nearest).Average());
    }

    private static async Task<IReadOnlyList<(string Kind, float[] Vector)>> EmbedAsync(
        IEmbeddingGenerator<string, Embedding<float>> embeddings, string resource, Func<JsonDocument, IEnumerable<(string Kind, string Text)>> read)
    {
        await using var stream = typeof(ExampleSet).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The example messages {resource} are missing from the Worker's resources.");
        using var document = await JsonDocument.ParseAsync(stream);
        var texts = read(document).ToList();
        if (texts.Count == 0)
        {
            throw new InvalidOperationException($"The example messages {resource} hold none.");
        }

        // Shared by every turn of the process: not cancelled with the turn that first needed it.
        var vectors = await embeddings.GenerateAsync(texts.Select(t => t.Text), cancellationToken: CancellationToken.None);
        return [.. texts.Select((t, i) => (t.Kind, vectors[i].Vector.ToArray()))];
    }

    /// <summary>The lists of a JSON object's properties, each under its property's name (a property holding no list, like a comment, is skipped).</summary>
    public static IEnumerable<(string Kind, string Text)> Lists(JsonElement element) =>
        element.EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.Array)
            .SelectMany(p => p.Value.EnumerateArray().Select(text => (p.Name, text.GetString() ?? "")));
}
