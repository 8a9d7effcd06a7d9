using LeadsPeer.Core;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Live;
using LeadsPeer.Core.Privacy;
using LeadsPeer.Web.Components.Shared;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace LeadsPeer.Web.Components.Pages.Privacy;

public partial class Privacy
{
    private PrivacyOverview? _overview;
    private IReadOnlyList<ExportView> _exports = [];
    private List<ConversationSummary>? _found;
    private int? _months;
    private string? _search;
    private bool _busy;

    protected override Task OnInitializedAsync() => RefreshAsync();

    // Exports move in the Worker; closure and erasures may come from another tab or the API.
    protected override bool Concerns(LiveEvent liveEvent) =>
        liveEvent.Type is LiveEventTypes.ExportProgress or LiveEventTypes.OrganizationClosure or LiveEventTypes.ContactErased;

    protected override async Task RefreshAsync()
    {
        if (!Member.Can(Permission.ManageCustomerData))
        {
            return;
        }

        var overview = await Settings.RunAsync(s => s.GetAsync(CancellationToken.None));
        if (overview.Value is { } value)
        {
            _months ??= value.ConversationRetentionMonths;
            _overview = value;
        }

        if (Member.Can(Permission.ExportOrganization) && (await Exports.RunAsync(e => e.ListAsync(CancellationToken.None))).Value is { } exports)
        {
            _exports = exports;
        }
    }

    private static string Days(double days) => days >= 1 ? $"{days:0} days" : $"{days * 24:0} hours";

    private async Task SaveRetentionAsync()
    {
        var outcome = await RunAsync(() => Settings.RunAsync(s => s.SetConversationRetentionAsync(_months, CancellationToken.None)));
        Snackbar.Report(outcome, v => v.ConversationRetentionMonths is { } m
            ? $"Conversations whose last message is older than {m} month(s) will be deleted."
            : "Conversations are kept until you delete them.");
    }

    private Task SearchOnEnterAsync(KeyboardEventArgs e) => e.Key == "Enter" ? SearchAsync() : Task.CompletedTask;

    private async Task SearchAsync()
    {
        if (string.IsNullOrWhiteSpace(_search))
        {
            _found = null;
            return;
        }

        var page = await Conversations.RunAsync(c => c.ListAsync(new ConversationFilter(Search: _search.Trim().TrimStart('+')), null, 20, CancellationToken.None));
        _found = page.Value is { } found ? [.. found.Items] : [];
    }

    private async Task EraseAsync(ConversationSummary customer)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Erase this customer?",
            $"{customer.ContactName ?? "This customer"} (+{customer.ContactWaId}) and everything held about them go for good: their conversation and every message, " +
            "media files, the sandbox's copies, and the AI's notes about them. Unsent replies to them are cancelled. The activity log keeps only that a customer was erased.",
            yesText: "Erase", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        var outcome = await RunAsync(() => Erasure.RunAsync(e => e.EraseAsync(customer.ContactId, CancellationToken.None)));
        Snackbar.Report(outcome, s => $"The customer was erased: {s.Conversations} conversation(s), {s.Messages} message(s).");
        if (outcome.Succeeded)
        {
            _found?.Remove(customer);
            await RefreshAsync();
        }
    }

    private async Task RequestExportAsync()
    {
        var outcome = await RunAsync(() => Exports.RunAsync(e => e.RequestAsync(CancellationToken.None)));
        Snackbar.Report(outcome, _ => "The export is being prepared; it appears here when it is ready.");
        await RefreshAsync();
    }

    private async Task CloseAsync(string confirmation)
    {
        var outcome = await RunAsync(() => Closure.RunAsync(c => c.CloseAsync(confirmation, CancellationToken.None)));
        Snackbar.Report(outcome, c => $"The organisation is closing. Its data will be deleted on {c.PurgeAt?.ToLocalTime():d MMMM yyyy}.");
        await AfterClosureChangeAsync(outcome.Succeeded);
    }

    private async Task CancelClosureAsync()
    {
        var outcome = await RunAsync(() => Closure.RunAsync(c => c.CancelAsync(CancellationToken.None)));
        Snackbar.Report(outcome, _ => "The closure is cancelled: your numbers and your team work again.");
        await AfterClosureChangeAsync(outcome.Succeeded);
    }

    // What the member may do changes with the closure (the menu, every page): load the dashboard again.
    private Task AfterClosureChangeAsync(bool changed)
    {
        if (changed)
        {
            Navigation.NavigateTo("privacy", forceLoad: true);
        }

        return Task.CompletedTask;
    }

    private async Task<Outcome<T>> RunAsync<T>(Func<Task<Outcome<T>>> action)
    {
        _busy = true;
        try
        {
            return await action();
        }
        finally
        {
            _busy = false;
        }
    }
}
