using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Live;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Web.Components.Shared;
using LeadsPeer.Web.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace LeadsPeer.Web.Components.Pages.WhatsApp;

public partial class WhatsApp
{
    private IReadOnlyList<ConnectionSummary>? _connections;
    private LeadsPeer.Core.Outcome<EmbeddedSignupStart>? _signup;
    private bool _busy;
    private IJSObjectReference? _module;
    private DotNetObjectReference<WhatsApp>? _self;

    protected override async Task OnInitializedAsync()
    {
        if (Member.Can(Permission.ManageWhatsApp))
        {
            // Issues the anti-forgery state Meta's code must come back with (bound to this person and organisation).
            _signup = await Signup.StartAsync(CancellationToken.None);
            await LoadAsync();
        }
    }

    /// <summary>Only those who manage the numbers see them.</summary>
    protected override Guid? LiveTenantId => Member.Can(Permission.ManageWhatsApp) ? Member.OrganizationId : null;

    /// <summary>Health changes (a rejected token, a quality rating) and new messages (the last webhook received) show without a reload.</summary>
    protected override bool Concerns(LiveEvent liveEvent) =>
        liveEvent.Type is LiveEventTypes.ConnectionHealthChanged or LiveEventTypes.MessageAdded;

    protected override Task RefreshAsync() => LoadAsync();

    private async Task LoadAsync() => _connections = await Connections.RunAsync(c => c.ListAsync(CancellationToken.None));

    private async Task CreateSandboxAsync()
    {
        _busy = true;
        try
        {
            var outcome = await Connections.RunAsync(c => c.CreateSandboxAsync(CancellationToken.None));
            Snackbar.Report(outcome, _ => "Sandbox number created: write to it from the customer phone.");
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task SetWindowAsync(ConnectionSummary connection, TimeSpan window)
    {
        _busy = true;
        try
        {
            var outcome = await Connections.RunAsync(c => c.SetSandboxWindowAsync(connection.Id, window, CancellationToken.None));
            Snackbar.Report(outcome, _ => window < TimeSpan.FromHours(24)
                ? "The sandbox window is shorter now: once it has closed, the conversation offers templates only."
                : "The sandbox window is 24 hours again, like Meta's.");
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RemoveAsync(ConnectionSummary connection)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Remove this number?",
            connection.Kind == WhatsAppConnectionKind.Sandbox
                ? "The sandbox number stops answering. Its conversations stay in the inbox."
                : "Leads Peer stops receiving and sending for this number, and its access token is deleted. Conversations stay in the inbox; connect it again with Meta at any time.",
            yesText: "Remove", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        _busy = true;
        try
        {
            var outcome = await Connections.RunAsync(c => c.RemoveAsync(connection.Id, CancellationToken.None));
            Snackbar.Report(outcome, _ => "Number removed.");
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task StartEmbeddedSignupAsync()
    {
        if (_signup is not { Succeeded: true, Value: var start })
        {
            return;
        }

        _busy = true;
        try
        {
            _module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./embedded-signup.js");
            _self ??= DotNetObjectReference.Create(this);
            await _module.InvokeVoidAsync("start", _self, start!.AppId, start.ConfigId, start.GraphApiVersion);
        }
        catch (JSException)
        {
            _busy = false;
            Snackbar.Add("Meta's sign-up window could not be opened. Allow pop-ups for this site and try again.", Severity.Error);
        }
    }

    [JSInvokable]
    public async Task Completed(string code, string wabaId, string phoneNumberId)
    {
        try
        {
            var outcome = await Signup.CompleteAsync(new EmbeddedSignupRequest(code, wabaId, phoneNumberId, _signup?.Value?.State), CancellationToken.None);
            Snackbar.Report(outcome, connection => $"{connection.DisplayPhoneNumber ?? "The number"} is connected: customers who write to it are answered now.");
            // A state is used once: the next attempt gets a fresh one.
            _signup = await Signup.StartAsync(CancellationToken.None);
            await LoadAsync();
        }
        finally
        {
            _busy = false;
            StateHasChanged();
        }
    }

    [JSInvokable]
    public void Cancelled()
    {
        _busy = false;
        Snackbar.Add("Embedded Signup was closed before it finished: nothing was connected.", Severity.Info);
        StateHasChanged();
    }

    [JSInvokable]
    public void Failed(string message)
    {
        _busy = false;
        Snackbar.Add(message, Severity.Error);
        StateHasChanged();
    }

    protected override async ValueTask DisposeScreenAsync()
    {
        _self?.Dispose();
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The browser is gone; nothing to release there.
            }
        }
    }
}
