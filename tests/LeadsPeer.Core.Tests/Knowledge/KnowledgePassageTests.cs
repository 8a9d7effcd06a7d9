using LeadsPeer.Core.Knowledge;

namespace LeadsPeer.Core.Tests.Knowledge;

public sealed class KnowledgePassageTests
{
    private static KnowledgePassage Passage(KnowledgeKind kind, string content, string? location) =>
        new() { Kind = kind, DocumentName = "manual.md", Content = content, Location = location };

    [Theory]
    [InlineData("Dashboard Bakery Sundays We bake sourdough every Sunday.", "Dashboard Bakery > Sundays", "We bake sourdough every Sunday.")]
    // A section's text opens with its own heading (the headings above it opened earlier sections).
    [InlineData("Sundays We bake sourdough every Sunday.", "Dashboard Bakery > Sundays", "We bake sourdough every Sunday.")]
    [InlineData("Storage Keep the bag dry.", "Care > Storage", "Keep the bag dry.")]
    [InlineData("We bake sourdough every Sunday.", "Dashboard Bakery > Sundays", "We bake sourdough every Sunday.")] // a later passage of the section: no heading to drop
    [InlineData("The warranty lasts one year.", "page 3", "The warranty lasts one year.")]
    [InlineData("Opening hours", "Opening hours", "Opening hours")] // only a heading: quoted whole
    public void A_files_passage_is_quoted_without_the_headings_that_open_it(string content, string location, string quotable) =>
        Assert.Equal(quotable, Passage(KnowledgeKind.File, content, location).Quotable);

    [Fact]
    public void An_faq_passage_is_quoted_without_its_question() =>
        Assert.Equal("Within the EU.", Passage(KnowledgeKind.Faq, "Do you ship abroad?\nWithin the EU.", null).Quotable);
}
