using LeadsPeer.Core;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Bookings;
using LeadsPeer.Web.Components.Shared;
using LeadsPeer.Web.UseCases;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace LeadsPeer.Web.Components.Pages.BookingSetup;

/// <summary>
/// The booking set-up for Owners and Admins: the hours (with reminders), the services and the
/// staff, each saved through the same Core services as the REST API; a refusal shows under the
/// field it names. Staff calendar links are made and revoked here; whether they carry customers'
/// names is the Owner's switch.
/// </summary>
public sealed partial class BookingSetup
{
    private BookingHoursView? _hours;
    private IReadOnlyList<ServiceView> _services = [];
    private IReadOnlyList<StaffView> _staff = [];
    private IReadOnlyDictionary<string, string[]>? _hoursErrors, _serviceErrors, _staffErrors;
    private ServiceView? _service;
    private StaffView? _member;
    private string? _feedUrl;
    private bool _editingService, _editingStaff, _busy, _showCustomers, _allowed, _canShareCustomers;

    [Inject]
    private UseCase<BookingHoursService> Hours { get; set; } = null!;

    [Inject]
    private UseCase<BookingSetupService> Setup { get; set; } = null!;

    [Inject]
    private UseCase<CalendarFeeds> Feeds { get; set; } = null!;

    [Inject]
    private CurrentMember Member { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    protected override async Task OnInitializedAsync()
    {
        _allowed = Member.Can(Permission.ManageBookings);
        _canShareCustomers = Member.Can(Permission.ShareCustomersInFeeds);
        if (_allowed)
        {
            await LoadAsync();
        }
    }

    private async Task LoadAsync()
    {
        _hours = await Hours.RunAsync(h => h.GetAsync(CancellationToken.None));
        _services = await Setup.RunAsync(s => s.ServicesAsync(CancellationToken.None));
        _staff = await Setup.RunAsync(s => s.StaffAsync(CancellationToken.None));
        _showCustomers = (await Feeds.RunAsync(f => f.SettingsAsync(CancellationToken.None))).ShowCustomers;
    }

    private void EditService(ServiceView? service) => (_service, _serviceErrors, _editingService) = (service, null, true);

    private void EditStaff(StaffView? member) => (_member, _staffErrors, _feedUrl, _editingStaff) = (member, null, null, true);

    private Task SaveHoursAsync(BookingHoursInput input) => RunAsync(
        () => Hours.RunAsync(h => h.SaveAsync(input, CancellationToken.None)), errors => _hoursErrors = errors, _ => "Booking hours saved.");

    private Task SaveServiceAsync(ServiceInput input) => RunAsync(
        () => Setup.RunAsync(s => s.SaveServiceAsync(_service?.Id, input, CancellationToken.None)), errors => _serviceErrors = errors,
        saved => { _editingService = false; return $"{saved.Name} saved."; });

    private Task SaveStaffAsync(StaffInput input) => RunAsync(
        () => Setup.RunAsync(s => s.SaveStaffAsync(_member?.Id, input, CancellationToken.None)), errors => _staffErrors = errors,
        saved => { _editingStaff = false; return $"{saved.Name} saved."; });

    private async Task IssueFeedAsync()
    {
        var issued = await Feeds.RunAsync(f => f.IssueAsync(_member!.Id, CancellationToken.None));
        // At the dashboard's own address, which serves the feeds too (Web/Bookings/CalendarFeedEndpoint.cs).
        _feedUrl = issued.Succeeded ? Navigation.ToAbsoluteUri(issued.Value!.Path).ToString() : null;
        Snackbar.Report(issued, _ => "A new calendar link: the earlier one stopped working.");
    }

    private async Task RevokeFeedAsync()
    {
        _feedUrl = null;
        Snackbar.Report(await Feeds.RunAsync(f => f.RevokeAsync(_member!.Id, CancellationToken.None)), _ => "The calendar link was revoked.");
    }

    private async Task ShowCustomersAsync(bool show)
    {
        var saved = await Feeds.RunAsync(f => f.SaveSettingsAsync(new CalendarFeedSettings(show), CancellationToken.None));
        _showCustomers = saved.Succeeded ? show : _showCustomers;
        Snackbar.Report(saved, s => s.ShowCustomers ? "Calendar links now show customers' names." : "Calendar links no longer show customers' names.");
    }

    private async Task RunAsync<T>(Func<Task<Outcome<T>>> action, Action<IReadOnlyDictionary<string, string[]>?> showErrors, Func<T, string> done)
    {
        _busy = true;
        try
        {
            var outcome = await action();
            showErrors(outcome.Error?.Errors);
            if (outcome.Succeeded || outcome.Error!.Errors is null)
            {
                Snackbar.Report(outcome, done);
            }

            if (outcome.Succeeded)
            {
                await LoadAsync();
            }
        }
        finally
        {
            _busy = false;
        }
    }
}
