using Bunit;
using LeadsPeer.Core.Privacy;
using LeadsPeer.Web.Components.Pages.Privacy;

namespace LeadsPeer.Web.Tests.Privacy;

/// <summary>The privacy page's panels: closing takes the typed name, a closing organisation offers to cancel, an export is watched and downloaded once.</summary>
public sealed class PrivacyComponentTests : WebComponentTest
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Closing_waits_for_the_typed_name_and_hands_it_to_the_page()
    {
        string? typed = null;
        var panel = Render<ClosurePanel>(p => p.Add(c => c.Closure, new ClosureView(false, null, null)).Add(c => c.OnClose, (string value) => typed = value));

        Assert.True(panel.Find("[data-testid=closure-close]").HasAttribute("disabled"));
        panel.Find("input[data-testid=closure-confirmation], [data-testid=closure-confirmation] input").Input("Garden Bakes");
        panel.Find("[data-testid=closure-close]").Click();

        Assert.Equal("Garden Bakes", typed);
        Assert.Empty(panel.FindAll("[data-testid=closure-cancel]"));
    }

    [Fact]
    public void A_closing_organisation_shows_its_purge_date_and_offers_to_cancel()
    {
        var cancelled = 0;
        var panel = Render<ClosurePanel>(p => p.Add(c => c.Closure, new ClosureView(true, Now, Now.AddDays(30))).Add(c => c.OnCancel, () => cancelled++));

        panel.Find("[data-testid=closure-cancel]").Click();

        Assert.Equal(1, cancelled);
        Assert.Contains(Now.AddDays(30).ToLocalTime().ToString("d MMMM yyyy"), panel.Markup);
        Assert.Empty(panel.FindAll("[data-testid=closure-close]"));
    }

    [Fact]
    public void A_running_export_shows_its_progress_and_a_ready_one_its_one_time_download()
    {
        var ready = Guid.NewGuid();
        var exports = Render<PrivacyExports>(p => p.Add(c => c.Items, new[]
        {
            new ExportView(Guid.NewGuid(), ExportState.Running, 40, 0, null, Now, null, null),
            new ExportView(ready, ExportState.Ready, 100, 2_500_000, null, Now.AddHours(-1), Now.AddHours(-1), Now.AddHours(23)),
            new ExportView(Guid.NewGuid(), ExportState.Downloaded, 100, 0, null, Now.AddDays(-1), Now.AddDays(-1), Now),
        }));

        Assert.True(exports.Find("[data-testid=export-request]").HasAttribute("disabled"));
        Assert.Single(exports.FindAll("[data-testid=export-progress]"));
        var download = exports.Find("[data-testid=export-download]");
        Assert.Equal($"privacy/exports/{ready}", download.GetAttribute("href"));
        Assert.Contains("2.4 MB", download.TextContent);
        Assert.Contains("the file is deleted", exports.Markup);
    }
}
