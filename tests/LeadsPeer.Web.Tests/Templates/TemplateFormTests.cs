using Bunit;
using LeadsPeer.Core.WhatsApp.Templates;
using LeadsPeer.Web.Components.Pages.Templates;

namespace LeadsPeer.Web.Tests.Templates;

public sealed class TemplateFormTests : WebComponentTest
{
    private static string Input(IRenderedComponent<TemplateForm> form, string testId) =>
        $"input[data-testid={testId}], [data-testid={testId}] input, textarea[data-testid={testId}], [data-testid={testId}] textarea";

    [Fact]
    public void Each_variable_gets_an_example_field_the_preview_fills_it_in_and_Meta_s_refusals_are_listed()
    {
        var submitted = new List<TemplateDraft>();
        IReadOnlyList<string> answer = ["The body is 1 to 1024 characters.", "Meta refused it: too similar to another template"];
        var form = Render<TemplateForm>(p => p.Add(f => f.OnSubmit, draft => { submitted.Add(draft); return Task.FromResult(answer); }));

        form.Find(Input(form, "template-name")).Input("order_ready");
        form.Find(Input(form, "template-body")).Input("Hi {{1}}, order {{2}} is ready.");
        var examples = form.FindAll(Input(form, "template-example"));
        Assert.Equal(2, examples.Count);
        examples[0].Input("Sam");
        form.FindAll(Input(form, "template-example"))[1].Input("GB-1042");
        form.Find("[data-testid=template-add-button]").Click();
        form.Find(Input(form, "template-quick-reply")).Input("On my way");

        Assert.Equal("Hi Sam, order GB-1042 is ready.", form.Find("[data-testid=template-preview] .bubble__text").TextContent);
        Assert.Contains("On my way", form.Find("[data-testid=template-preview]").TextContent);
        Assert.Equal("1024", form.Find(Input(form, "template-body")).GetAttribute("maxlength"));

        form.Find("[data-testid=template-submit]").Click();

        var draft = Assert.Single(submitted);
        Assert.Equal(("order_ready", "en_US", "UTILITY"), (draft.Name, draft.Language, draft.Category));
        Assert.Equal(new Dictionary<string, string> { ["1"] = "Sam", ["2"] = "GB-1042" }, draft.Examples);
        Assert.Equal([("QUICK_REPLY", "On my way")], draft.Buttons!.Select(b => (b.Type!, b.Text!)));
        Assert.Contains("too similar to another template", form.Find("[data-testid=template-errors]").TextContent);
        // Refused: what was typed stays, to be corrected.
        Assert.Equal("order_ready", form.Find(Input(form, "template-name")).GetAttribute("value"));
    }
}
