using LeadsPeer.Core.Agent;

namespace LeadsPeer.Core.Tests.Agent;

/// <summary>Prices, times, phone numbers and links in an answer must come from the business's words.</summary>
public sealed class GroundingCheckTests
{
    private const string Knowledge = "Custom cakes cost Rs. 1,500 per kg. We are open 9 am to 6 pm. Call 0300 1234567 or see https://garden.example/menu.";

    [Theory]
    [InlineData("A custom cake is PKR 1500 per kg.")]
    [InlineData("We open at 9:00 and close at 18:00.")]
    [InlineData("Ring us on 0300-123-4567.")]
    [InlineData("The menu is at https://garden.example/menu")]
    [InlineData("Yes, we bake custom cakes on Fridays.")]
    public void Facts_the_knowledge_has_pass_however_they_are_written(string answer)
    {
        Assert.Null(GroundingCheck.Ungrounded(answer, [Knowledge]));
    }

    [Theory]
    [InlineData("A custom cake is Rs 1,200 per kg.", "the price 1200")]
    [InlineData("We are open until 8 pm.", "the time 20:00")]
    [InlineData("Call 0311 7654321.", "the phone number ending 4321")]
    [InlineData("Order at https://cakes.example.com", "the link cakes.example.com")]
    public void A_fact_the_knowledge_does_not_have_is_named(string answer, string named)
    {
        Assert.Equal(named, GroundingCheck.Ungrounded(answer, [Knowledge]));
    }

    [Fact]
    public void A_number_the_customer_gave_may_be_repeated()
    {
        Assert.Null(GroundingCheck.Ungrounded("Your order GB-1042 for $45 is noted.", [Knowledge, "I paid $45 for order GB-1042"]));
    }
}
