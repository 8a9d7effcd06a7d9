namespace LeadsPeer.Worker.Tests.Agent;

/// <summary>
/// The scope's example messages with the real local sentence model: requests off any business's
/// subject, in words none of the examples holds, read as off-topic; a customer's questions about a
/// business do not, however far from the examples' topics they are.
/// </summary>
public sealed class ScopeExamplesTests(ExamplesModel model) : IClassFixture<ExamplesModel>
{
    [Theory]
    [InlineData("How many ounces are there in a kilogram?")]
    [InlineData("Which team won the hockey world cup?")]
    [InlineData("Find me a cheap hotel in Murree for the weekend")]
    [InlineData("mera laptop slow chal raha hai kya karun")]
    public async Task A_request_off_any_business_s_subject_reads_off_topic(string text)
    {
        var reading = await model.Scope.ReadAsync(text, CancellationToken.None);

        Assert.NotNull(reading);
        Assert.True(reading.IsOffTopic, reading.ToString());
    }

    [Theory]
    [InlineData("Do your cakes contain any gelatine?")]
    [InlineData("Is the dentist at your clinic a woman?")]
    [InlineData("Can I return the shirt if it does not fit?")]
    [InlineData("kya aap ke mechanic Sunday ko bhi kaam karte hain?")]
    public async Task A_customer_s_question_to_the_business_does_not_read_off_topic(string text)
    {
        var reading = await model.Scope.ReadAsync(text, CancellationToken.None);

        Assert.NotNull(reading);
        Assert.False(reading.IsOffTopic, reading.ToString());
    }
}
