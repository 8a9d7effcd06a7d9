namespace LeadsPeer.Worker.Tests.Agent;

/// <summary>
/// The flows' example messages with the real local sentence model: requests in words no flow
/// phrase holds are read as their flow; questions that read close to a flow's requests (opening
/// hours on the day one would book, the price of what one would order) and off-topic requests
/// are read as no flow.
/// </summary>
public sealed class FlowExamplesTests(ExamplesModel model) : IClassFixture<ExamplesModel>
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
        Assert.False((await ReadAsync(text)).Starts, (await model.Flows.ReadAsync(text, CancellationToken.None))!.ToString());

    /// <summary>The flow nearest, and whether it starts (a failure shows both).</summary>
    private async Task<(string Flow, bool Starts)> ReadAsync(string text)
    {
        var reading = await model.Flows.ReadAsync(text, CancellationToken.None);
        Assert.NotNull(reading);
        return (reading.Flow, await model.Flows.NearestFlowAsync(text, CancellationToken.None) == reading);
    }
}
