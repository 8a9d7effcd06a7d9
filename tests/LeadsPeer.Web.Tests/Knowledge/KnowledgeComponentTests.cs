using Bunit;
using LeadsPeer.Core.Knowledge;
using LeadsPeer.Web.Components.Pages.Knowledge;

namespace LeadsPeer.Web.Tests.Knowledge;

public sealed class KnowledgeComponentTests : WebComponentTest
{
    private static KnowledgeDocumentView Document(KnowledgeDocumentState state, int progress = 0, int chunks = 0, string? failure = null) =>
        new(Guid.NewGuid(), "manual.pdf", "application/pdf", 84_646, state, progress, chunks, failure, DateTimeOffset.UtcNow, state == KnowledgeDocumentState.Indexed ? DateTimeOffset.UtcNow : null);

    [Fact]
    public void A_document_shows_its_progress_while_indexing_its_passages_when_indexed_and_its_reason_when_failed()
    {
        var indexing = Render<DocumentRow>(p => p.Add(d => d.Document, Document(KnowledgeDocumentState.Indexing, progress: 40)));
        var indexed = Render<DocumentRow>(p => p.Add(d => d.Document, Document(KnowledgeDocumentState.Indexed, 100, chunks: 17)));
        var failed = Render<DocumentRow>(p => p.Add(d => d.Document, Document(KnowledgeDocumentState.Failed, failure: "The PDF is password-protected. Remove the password and upload it again.")));

        Assert.Contains("Indexing… 40%", indexing.Markup);
        Assert.NotNull(indexing.Find("[data-testid=progress]"));
        Assert.Empty(indexing.FindAll("[data-testid=reindex]"));
        Assert.Contains("17 passages · 83 KB", indexed.Find("[data-testid=indexed]").TextContent);
        Assert.NotNull(indexed.Find("[data-testid=reindex]"));
        Assert.Contains("password-protected", failed.Find("[data-testid=failure]").TextContent);
        Assert.Empty(failed.FindAll("[data-testid=reindex]")); // a failed file is uploaded again, not re-indexed
        Assert.NotNull(failed.Find("[data-testid=delete]"));
    }

    [Fact]
    public void The_faq_editor_adds_an_entry_keeps_it_with_the_reason_when_refused_and_edits_an_existing_one()
    {
        var saved = new List<(Guid? Id, string Question, string Answer)>();
        string? refusal = "An answer of 1 to 4000 characters is needed.";
        var existing = new FaqView(Guid.NewGuid(), "Do you ship abroad?", "Within the EU.", KnowledgeDocumentState.Indexed, null, DateTimeOffset.UtcNow);
        var editor = Render<FaqEditor>(p => p.Add(f => f.Faqs, [existing])
            .Add(f => f.OnSave, faq => { saved.Add(faq); return Task.FromResult<string?>(refusal); }));

        editor.Find("input[data-testid=faq-question], [data-testid=faq-question] input").Change("Opening hours?");
        editor.Find("[data-testid=faq-save]").Click();
        var keptQuestion = editor.Find("input[data-testid=faq-question], [data-testid=faq-question] input").GetAttribute("value");
        refusal = null;
        editor.FindAll("button[aria-label='Edit this entry']")[0].Click();
        editor.Find("textarea[data-testid=faq-answer], [data-testid=faq-answer] textarea").Change("Worldwide.");
        editor.Find("[data-testid=faq-save]").Click();

        Assert.Equal((null, "Opening hours?", ""), saved[0]);
        Assert.Equal("Opening hours?", keptQuestion);
        Assert.Equal((existing.Id, "Do you ship abroad?", "Worldwide."), saved[1]);
        Assert.Equal("Add entry", editor.Find("[data-testid=faq-save]").TextContent.Trim());
    }
}
