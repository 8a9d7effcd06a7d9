using LeadsPeer.Worker.Agent;
using LeadsPeer.Worker.Knowledge;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeadsPeer.Worker.Tests.Agent;

/// <summary>The real local sentence model and the examples embedded once, for all of the class's cases.</summary>
public sealed class FlowExamplesModel : IDisposable
{
    private readonly LocalEmbeddingGenerator _model = new();

    public FlowExamplesModel() => Examples = new FlowExamples(_model, NullLogger<FlowExamples>.Instance);

    public FlowExamples Examples { get; }

    public void Dispose() => _model.Dispose();
}

/// <summary>
/// The flows' example messages with the real local sentence model: requests in words no flow
/// phrase holds are read as their flow; questions that read close to a flow's requests (opening
/// hours on the day one would book, the price of what one would order) and off-topic requests
/// are read as no flow.
/// </summary>
public sealed class FlowExamplesTests(FlowExamplesModel model) : IClassFixture<FlowExamplesModel>
{
    [Theory]
    [InlineData("Remind me which days I booked with you", "my-bookings")]
    [InlineData("I'd love to grab a couple of those caramel donuts, can you send them over", "order")]
    [InlineData("Is there a time this week I could pop in for a consultation", "book")]
    [InlineData("Something went wrong and I need somebody from the shop to sort it out", "talk-to-person")]
    public async Task A_request_in_words_no_phrase_holds_is_read_as_its_flow(string text, string flow) =>
        Assert.Equal((flow, true), await ReadAsync(text));

    [Theory]
    [InlineData("Are you open on Saturday evening?")]
    [InlineData("How much is delivery to Model Town?")]
    [InlineData("What does a consultation cost?")]
    [InlineData("Write me a song about the sea")]
    [InlineData("Can you book me a flight to Dubai?")]
    public async Task A_question_that_reads_near_a_request_is_read_as_no_flow(string text) =>
        Assert.False((await ReadAsync(text)).Starts, (await model.Examples.ReadAsync(text, CancellationToken.None))!.ToString());

    /// <summary>The flow nearest, and whether it starts (a failure shows both).</summary>
    private async Task<(string Flow, bool Starts)> ReadAsync(string text)
    {
        var reading = await model.Examples.ReadAsync(text, CancellationToken.None);
        Assert.NotNull(reading);
        return (reading.Flow, await model.Examples.NearestFlowAsync(text, CancellationToken.None) == reading);
    }
}
