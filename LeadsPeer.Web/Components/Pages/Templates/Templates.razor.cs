using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Live;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Core.WhatsApp.Templates;
using LeadsPeer.Web.Components.Shared;
using MudBlazor;

namespace LeadsPeer.Web.Components.Pages.Templates;

public partial class Templates
{
    private IReadOnlyList<ConnectionSummary>? _connections;
    private IReadOnlyList<TemplateView>? _templates;
    private Guid _connectionId;
    private bool _busy;

    private bool CanManage => Member.Can(Permission.ManageWhatsApp);

    protected override async Task OnInitializedAsync()
    {
        _connections = await Connections.RunAsync(c => c.ListAsync(CancellationToken.None));
        if (_connections.Count > 0)
        {
            _connectionId = _connections[0].Id;
            await LoadAsync();
        }
    }

    /// <summary>Meta's review decisions (and quality or category changes) arrive as webhooks: the list follows them live.</summary>
    protected override bool Concerns(LiveEvent liveEvent) =>
        liveEvent.Type == LiveEventTypes.TemplatesChanged && liveEvent.ConnectionId == _connectionId;

    protected override Task RefreshAsync() => LoadAsync();

    private async Task SelectAsync(Guid connectionId)
    {
        _connectionId = connectionId;
        _templates = null;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var outcome = await Catalog.RunAsync(c => c.ListAsync(_connectionId, CancellationToken.None));
        _templates = outcome.Succeeded ? outcome.Value : [];
    }

    private async Task SyncAsync()
    {
        _busy = true;
        try
        {
            var outcome = await Catalog.RunAsync(c => c.SyncAsync(_connectionId, CancellationToken.None));
            Snackbar.Report(outcome, templates => $"Synced: {templates.Count} template(s) at Meta.");
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task<IReadOnlyList<string>> CreateAsync(TemplateDraft draft)
    {
        var outcome = await Catalog.RunAsync(c => c.CreateAsync(_connectionId, draft, CancellationToken.None));
        if (!outcome.Succeeded)
        {
            return [.. outcome.Error!.AllWords()];
        }

        Snackbar.Add($"'{outcome.Value!.Name}' was submitted: Meta reviews it, usually within minutes; its status changes here when Meta answers.", Severity.Success);
        await LoadAsync();
        return [];
    }

    private async Task DeleteAsync(TemplateView template)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync($"Delete {template.Name}?",
            "It is deleted at Meta, in every language, and cannot be sent any more. Meta does not let the name be used again for 30 days.",
            yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        _busy = true;
        try
        {
            var outcome = await Catalog.RunAsync(c => c.DeleteAsync(_connectionId, template.Name, CancellationToken.None));
            Snackbar.Report(outcome, _ => $"{template.Name} deleted.");
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private static Color StatusColor(TemplateStatus status) => status switch
    {
        TemplateStatus.Approved => Color.Success,
        TemplateStatus.Pending or TemplateStatus.InAppeal => Color.Info,
        TemplateStatus.Paused => Color.Warning,
        _ => Color.Error,
    };
}
