using Bunit;
using LeadsPeer.Web.Components.Pages.Agent;

namespace LeadsPeer.Web.Tests.Agent;

/// <summary>The agent settings' word tables: shown as saved, edited in place, refusals under the field they name.</summary>
public sealed class CustomerWordsComponentTests : WebComponentTest
{
    [Fact]
    public void The_saved_words_show_typed_phrases_are_kept_per_flow_and_a_refusal_shows_under_its_field()
    {
        var typed = new Dictionary<string, string?> { ["book"] = "cake tasting" };
        string? synonyms = "opening hours = timings";
        var errors = new Dictionary<string, string[]> { ["flowTriggers.order"] = ["At most 20 phrases of 1 to 64 characters each."] };
        var words = Render<CustomerWords>(p => p.Add(w => w.Synonyms, synonyms).Add(w => w.SynonymsChanged, v => synonyms = v)
            .Add(w => w.FlowTriggers, typed).Add(w => w.Errors, errors));

        Assert.Equal("opening hours = timings", words.Find("textarea[data-testid=agent-synonyms]").TextContent.Trim());
        Assert.Equal("cake tasting", words.Find("input[data-testid=agent-flow-book]").GetAttribute("value"));
        words.Find("input[data-testid=agent-flow-order]").Change("mangwana, order dena");
        words.Find("textarea[data-testid=agent-synonyms]").Change("opening hours = timings, waqt");

        Assert.Equal("opening hours = timings, waqt", synonyms);
        Assert.Equal(["mangwana", "order dena"], CustomerWords.Phrases(typed)["order"]);
        Assert.Equal(["book", "order"], CustomerWords.Phrases(typed).Keys.Order());
        Assert.Contains("At most 20 phrases", words.Find("[data-testid=agent-flow-order]").Closest(".mud-input-control")!.TextContent);
        Assert.DoesNotContain("At most 20 phrases", words.Find("[data-testid=agent-flow-book]").Closest(".mud-input-control")!.TextContent);
    }
}
