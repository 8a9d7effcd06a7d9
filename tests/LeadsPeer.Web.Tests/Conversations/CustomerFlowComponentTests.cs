using Bunit;
using LeadsPeer.Core.Flows;
using LeadsPeer.Web.Components.Pages.Conversations;

namespace LeadsPeer.Web.Tests.Conversations;

/// <summary>The customer's guided flow beside the thread: the flow, its question, what was chosen, and the pause while the team holds it.</summary>
public sealed class CustomerFlowComponentTests : WebComponentTest
{
    [Fact]
    public void The_flow_shows_its_question_what_was_chosen_and_that_it_waits_while_the_team_holds_the_conversation()
    {
        var flow = new FlowInProgressView("book", "staff", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(30), new Dictionary<string, string>());
        var held = Render<CustomerFlow>(p => p.Add(f => f.Flow, flow).Add(f => f.Choices, ["Haircut", "2026-12-12 10:00"]).Add(f => f.Held, true));
        var withAi = Render<CustomerFlow>(p => p.Add(f => f.Flow, flow with { Flow = "talk-to-person", Step = "reason" }));
        var none = Render<CustomerFlow>();

        Assert.Contains("In the booking flow", held.Find("[data-testid=customer-flow]").TextContent);
        Assert.Contains("“staff” question", held.Markup);
        Assert.Equal("Chosen so far: Haircut · 2026-12-12 10:00", held.Find("[data-testid=customer-flow-choice]").TextContent.Trim());
        Assert.Contains("Paused while your team holds the conversation", held.Markup);
        Assert.Contains("“talk to a person”", withAi.Markup);
        Assert.Empty(withAi.FindAll("[data-testid=customer-flow-choice]"));
        Assert.DoesNotContain("Paused", withAi.Markup);
        Assert.Empty(none.FindAll("[data-testid=customer-flow]"));
    }
}
