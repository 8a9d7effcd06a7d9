using LeadsPeer.Core;
using LeadsPeer.Core.Bookings;
using LeadsPeer.Core.Live;
using LeadsPeer.Web.Components.Shared;
using LeadsPeer.Web.Live;
using LeadsPeer.Web.UseCases;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace LeadsPeer.Web.Components.Pages.Calendar;

/// <summary>What the team typed for a new booking (a date and a time in the business's zone).</summary>
public sealed record TeamBookingDraft(Guid ServiceId, Guid? StaffId, string? Date, string? Time, Guid? ContactId, string? CustomerName, string? Notes);

/// <summary>
/// The team's Calendar: a day of everyone, or a week of one person; a booking opens beside it to
/// be moved, cancelled or closed; a new booking from the free times. Every change goes through
/// <see cref="BookingBook"/>, and bookings made or moved anywhere (a customer on WhatsApp, another
/// operator) appear live.
/// </summary>
public sealed partial class Calendar
{
    private CalendarView? _view;
    private BookingView? _open;
    private IReadOnlyList<ServiceView> _services = [];
    private IReadOnlyList<CalendarCustomer> _customers = [];
    private IReadOnlyList<SlotView>? _slots;
    private string? _from;
    private Guid? _staffId;
    private bool _week;
    private bool _creating;
    private bool _busy;
    private int _loads;

    [Inject]
    private UseCase<TeamCalendar> Team { get; set; } = null!;

    [Inject]
    private UseCase<BookingQueries> Queries { get; set; } = null!;

    [Inject]
    private UseCase<BookingBook> Book { get; set; } = null!;

    [Inject]
    private UseCase<BookingSetupService> Setup { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    private string RangeText => _view is null ? "" : _week && _view.Columns.Count > 0
        ? $"{_view.Columns[0].DayLabel} – {_view.Columns[^1].DayLabel}"
        : _view.Columns.FirstOrDefault()?.DayLabel ?? _view.From;

    protected override async Task OnInitializedAsync()
    {
        await LoadAsync();
        _services = await Setup.RunAsync(s => s.ServicesAsync(CancellationToken.None));
    }

    /// <summary>Bookings made and moved by anyone; an erased customer's name leaves the blocks.</summary>
    protected override bool Concerns(LiveEvent liveEvent) => liveEvent.Type is LiveEventTypes.BookingChanged or LiveEventTypes.ContactErased;

    protected override Task RefreshAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        // Clicks come faster than reads (Next, Next): only the latest read is shown.
        var version = ++_loads;
        var staff = _week ? _staffId ?? _view?.Staff.FirstOrDefault()?.Id : null;
        var view = await Team.RunAsync(t => t.ViewAsync(_from, _week ? 7 : 1, staff, CancellationToken.None));
        if (_week && staff is null && view.Staff.FirstOrDefault()?.Id is { } first)
        {
            // A week is one person's: the first staff member until one is chosen.
            staff = first;
            view = await Team.RunAsync(t => t.ViewAsync(_from, 7, first, CancellationToken.None));
        }

        var open = _open is null ? null : (await Queries.RunAsync(q => q.GetAsync(_open.Id, CancellationToken.None))).Value;
        if (version != _loads)
        {
            return;
        }

        _view = view;
        _from ??= view.From;
        _staffId = _week ? staff : _staffId;
        _open = _open is null ? null : open;
    }

    private async Task ShiftAsync(int direction)
    {
        _from = DateOnly.ParseExact(_from ?? _view!.From, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)
            .AddDays(direction * (_week ? 7 : 1)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await LoadAsync();
    }

    private async Task TodayAsync()
    {
        _from = null;
        await LoadAsync();
    }

    private async Task ViewChangedAsync(string? view)
    {
        _week = view == "week";
        await LoadAsync();
    }

    private async Task StaffChangedAsync(Guid? staffId)
    {
        _staffId = staffId;
        await LoadAsync();
    }

    private async Task OpenAsync(Guid id)
    {
        _creating = false;
        _open = (await Queries.RunAsync(q => q.GetAsync(id, CancellationToken.None))).Value;
    }

    private async Task NewAsync()
    {
        _open = null;
        _slots = null;
        _services = await Setup.RunAsync(s => s.ServicesAsync(CancellationToken.None));
        _customers = await Team.RunAsync(t => t.CustomersAsync(CancellationToken.None));
        _creating = true;
    }

    private async Task LookupAsync((Guid ServiceId, string? Date) asked)
    {
        var found = await Queries.RunAsync(q => q.SlotsAsync(asked.ServiceId, null, asked.Date, asked.Date, CancellationToken.None));
        _slots = found.Value?.Slots ?? [];
    }

    private IReadOnlyList<CalendarStaff> StaffFor(BookingView booking)
    {
        var doing = _services.FirstOrDefault(s => s.Id == booking.ServiceId)?.StaffIds;
        return doing is null ? _view?.Staff ?? [] : [.. _view!.Staff.Where(s => doing.Contains(s.Id))];
    }

    private async Task BookAsync(TeamBookingDraft draft)
    {
        if (TeamCalendar.At(draft.Date, draft.Time, _view!.TimeZone) is not { } start)
        {
            Snackbar.Add("Give the date as yyyy-MM-dd and the time as HH:mm (24-hour clock).", Severity.Warning);
            return;
        }

        await RunAsync(() => Book.RunAsync(b => b.BookAsync(new NewBooking(draft.ServiceId, start, draft.StaffId, draft.ContactId, draft.CustomerName, draft.Notes),
            BookedBy.Team, conversationId: null, CancellationToken.None)), booking =>
        {
            _creating = false;
            _open = BookingView.Of(booking, NodaTime.DateTimeZoneProviders.Tzdb[_view.TimeZone]);
            return $"Booked {booking.Reference}: {booking.ServiceName} with {booking.StaffName}.";
        });
    }

    private async Task RescheduleAsync((string? Date, string? Time, Guid? StaffId) move)
    {
        if (TeamCalendar.At(move.Date, move.Time, _view!.TimeZone) is not { } start)
        {
            Snackbar.Add("Give the date as yyyy-MM-dd and the time as HH:mm (24-hour clock).", Severity.Warning);
            return;
        }

        var id = _open!.Id;
        await RunAsync(() => Book.RunAsync(b => b.RescheduleAsync(id, new BookingReschedule(start, move.StaffId), BookedBy.Team, CancellationToken.None)), Told("moved"));
    }

    /// <summary>A booking dragged on the grid: the same move as the panel's, the customer told the same way.</summary>
    private async Task DropAsync(CalendarDrop drop)
    {
        if (TeamCalendar.At(drop.Date, drop.Time, _view!.TimeZone) is not { } start)
        {
            return; // the grid's own quarter hours always read
        }

        await RunAsync(() => Book.RunAsync(b => b.RescheduleAsync(drop.BookingId, new BookingReschedule(start, drop.StaffId), BookedBy.Team, CancellationToken.None)), Told("moved"));
    }

    private Task CancelAsync(string reason)
    {
        var id = _open!.Id;
        return RunAsync(() => Book.RunAsync(b => b.CancelAsync(id, reason, BookedBy.Team, CancellationToken.None)), Told("cancelled"));
    }

    private Task FinishAsync(BookingStatus status)
    {
        var id = _open!.Id;
        return RunAsync(() => Book.RunAsync(b => b.CloseAsync(id, status, CancellationToken.None)), b => $"{b.Reference} is {BookingLifecycle.Words(b.Status)}.");
    }

    private static Func<Booking, string> Told(string what) => booking => booking.NotNotifiedReason is { } why
        ? $"{booking.Reference} is {what}; the customer was not told: {why}"
        : $"{booking.Reference} is {what}; the customer is told.";

    private async Task RunAsync(Func<Task<Outcome<Booking>>> action, Func<Booking, string> done)
    {
        _busy = true;
        try
        {
            Snackbar.Report(await action(), done);
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }
}
