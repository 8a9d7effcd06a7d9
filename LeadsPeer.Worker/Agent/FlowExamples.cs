using Microsoft.Extensions.AI;

namespace LeadsPeer.Worker.Agent;

/// <summary>
/// The local answerer's second reading of a turn its knowledge neither answers nor keeps: how near
/// the words are to example requests for each guided flow (<c>FlowExamples.json</c>), weighed
/// against examples of messages that are not one — questions about hours, prices, delivery and
/// policies, complaints, greetings, off-topic requests. The flows' phrases miss wordings nobody
/// wrote down ("remind me which days I booked"); similarity to requests alone pulled in questions
/// that read like them ("are you open on Saturday evening?"), and the examples of what is not a
/// flow are what keep those out: the nearest examples of each kind are compared, not a line.
/// </summary>
public sealed partial class FlowExamples(IEmbeddingGenerator<string, Embedding<float>> embeddings, ILogger<FlowExamples> logger)
{
    /// <summary>The name the examples of messages that start no flow go by.</summary>
    private const string None = "none";

    /// <summary>
    /// How much nearer a flow's examples must be than those of no flow, and how near at least.
    /// Measured on the bakery's sets (<c>./scripts/evaluate-agent.sh --bakery</c>): with a margin of
    /// 0.05 and a floor of 0.45, two off-topic questions of one set started flows; with these, one
    /// of all 592 messages did ("can you recommend a dentist nearby?" starts booking, which lists
    /// the business's own services).
    /// </summary>
    internal const double Margin = 0.08;

    internal const double Floor = 0.50;

    /// <summary>Each flow's requests under its name (<c>flows</c>), and the messages that start none.</summary>
    private readonly ExampleSet _examples = new(embeddings, "LeadsPeer.Worker.Agent.FlowExamples.json", document =>
        ExampleSet.Lists(document.RootElement.GetProperty("flows"))
            .Concat(document.RootElement.GetProperty(None).EnumerateArray().Select(text => (None, text.GetString() ?? ""))));

    /// <summary>The flow <paramref name="text"/> asks for by the examples, or null when it reads as no flow's request.</summary>
    public async Task<FlowReading?> NearestFlowAsync(string text, CancellationToken cancellationToken) =>
        NearestFlow(await ReadAsync(text, cancellationToken));

    /// <summary>The same, for a message already embedded (<paramref name="vector"/>).</summary>
    public async Task<FlowReading?> NearestFlowAsync(ReadOnlyMemory<float> vector, CancellationToken cancellationToken) =>
        NearestFlow(await ReadAsync(vector, cancellationToken));

    private static FlowReading? NearestFlow(FlowReading? reading) =>
        reading is not null && reading.Score >= Floor && reading.Score - reading.NoFlow >= Margin ? reading : null;

    /// <summary>The flow whose examples read nearest <paramref name="text"/>, however near; null when the examples are not available.</summary>
    public async Task<FlowReading?> ReadAsync(string text, CancellationToken cancellationToken) =>
        await ReadAsync((await embeddings.GenerateAsync([text], cancellationToken: cancellationToken))[0].Vector, cancellationToken);

    /// <summary>The same, for a message already embedded (<paramref name="vector"/>).</summary>
    public async Task<FlowReading?> ReadAsync(ReadOnlyMemory<float> vector, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, double> nearness;
        try
        {
            nearness = await _examples.NearnessAsync(vector, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The examples could not be embedded (the model failed to run): the turn keeps the
            // knowledge's decision rather than failing with them.
            LogExamplesFailed(logger, ex.GetType().Name);
            return null;
        }

        var (flow, score) = nearness.Where(n => n.Key != None).MaxBy(n => n.Value);
        return new FlowReading(flow, score, nearness[None]);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The flows' example messages could not be embedded ({Error}): the turn keeps the knowledge's decision")]
    private static partial void LogExamplesFailed(ILogger logger, string error);
}

/// <summary>How near a message reads to a flow's example requests (<paramref name="Score"/>) and to the examples of no flow.</summary>
public sealed record FlowReading(string Flow, double Score, double NoFlow);
