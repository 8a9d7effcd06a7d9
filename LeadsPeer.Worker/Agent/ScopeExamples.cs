using Microsoft.Extensions.AI;

namespace LeadsPeer.Worker.Agent;

/// <summary>
/// The local answerer's reading of whose subject a turn is, when its knowledge does not answer it:
/// how near the words are to examples of questions a customer asks a business about itself (what it
/// sells, makes or does, how it works: <c>ScopeExamples.json</c>), weighed against examples of
/// requests off any business's subject (general knowledge, errands, other trades). Nearness to
/// the business's own knowledge says the topic; these say what kind of message it is, which the
/// topic misses both ways: "do you make pizza?" at a bakery is its customer's question with no
/// word of its handbook, and "convert 50 pounds to kilograms" shares the handbook's weights.
/// </summary>
public sealed partial class ScopeExamples(IEmbeddingGenerator<string, Embedding<float>> embeddings, ILogger<ScopeExamples> logger)
{
    private const string Business = "business";
    private const string OffTopic = "offTopic";

    /// <summary>
    /// How much nearer the off-topic examples must be than the customer's questions to decline a
    /// turn the knowledge would hand to the team. Measured on the bakery's sets
    /// (<c>./scripts/evaluate-agent.sh --bakery</c>).
    /// </summary>
    internal const double Margin = 0.05;

    private readonly ExampleSet _examples = new(embeddings, "LeadsPeer.Worker.Agent.ScopeExamples.json", document => ExampleSet.Lists(document.RootElement));

    /// <summary>How near <paramref name="text"/> reads to each kind; null when the examples are not available.</summary>
    public async Task<ScopeReading?> ReadAsync(string text, CancellationToken cancellationToken) =>
        await ReadAsync((await embeddings.GenerateAsync([text], cancellationToken: cancellationToken))[0].Vector, cancellationToken);

    /// <summary>The same, for a message already embedded (<paramref name="vector"/>).</summary>
    public async Task<ScopeReading?> ReadAsync(ReadOnlyMemory<float> vector, CancellationToken cancellationToken)
    {
        try
        {
            var nearness = await _examples.NearnessAsync(vector, cancellationToken);
            return new ScopeReading(nearness[Business], nearness[OffTopic]);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The examples could not be embedded (the model failed to run): the turn keeps the knowledge's decision.
            LogExamplesFailed(logger, ex.GetType().Name);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The scope's example messages could not be embedded ({Error}): the turn keeps the knowledge's decision")]
    private static partial void LogExamplesFailed(ILogger logger, string error);
}

/// <summary>How near a message reads to a customer's questions to a business (<paramref name="Business"/>) and to requests off any business's subject.</summary>
public sealed record ScopeReading(double Business, double OffTopic)
{
    /// <summary>Clearly a request off any business's subject.</summary>
    public bool IsOffTopic => OffTopic - Business >= ScopeExamples.Margin;

    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Business:0.00} near a customer's questions, {OffTopic:0.00} to off-topic requests");
}
