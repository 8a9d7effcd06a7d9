using LeadsPeer.Core.Data;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace LeadsPeer.Core.Bookings;

/// <summary>A booking as the team sees it; <see cref="Local"/> is its start in the business's zone.</summary>
public sealed record BookingView(
    Guid Id, string Reference, Guid? ServiceId, string ServiceName, Guid? StaffId, string StaffName, DateTimeOffset Start, DateTimeOffset End,
    string Local, BookingStatus Status, Guid? ContactId, Guid? ConversationId, string? CustomerName, string? Notes, BookedBy BookedBy,
    BookedBy? CancelledBy, string? CancelReason, IReadOnlyList<BookingMove> Moves, string? NotNotifiedReason,
    IReadOnlyList<int> RemindersSent, DateTimeOffset? CustomerConfirmedAt, DateTimeOffset CreatedAt)
{
    public static BookingView Of(Booking b, DateTimeZone zone) => new(
        b.Id, b.Reference, b.ServiceId, b.ServiceName, b.StaffId, b.StaffName, b.StartAt, b.EndAt, BookingQueries.Local(b.StartAt, zone), b.Status,
        b.ContactId, b.ConversationId, b.CustomerName, b.Notes, b.BookedBy, b.CancelledBy, b.CancelReason, b.Moves, b.NotNotifiedReason,
        b.RemindersSent, b.CustomerConfirmedAt, b.CreatedAt);
}

/// <summary>A free start: in UTC, in the business's zone ("2026-12-08T17:00"), and who is free then.</summary>
public sealed record SlotView(DateTimeOffset Start, DateTimeOffset End, string Local, IReadOnlyList<Guid> StaffIds);

public sealed record SlotsView(string TimeZone, IReadOnlyList<SlotView> Slots);

/// <summary>Reads bookings and free times for the API and the dashboard; dates are the business's own (yyyy-MM-dd in its zone).</summary>
public sealed class BookingQueries(LeadsPeerDbContext db, BookingBook book, TimeProvider time)
{
    public async Task<Outcome<SlotsView>> SlotsAsync(Guid? serviceId, Guid? staffId, string? from, string? to, CancellationToken cancellationToken)
    {
        if (serviceId is null)
        {
            return UseCaseError.Invalid("serviceId", "Name the service.");
        }

        if (await db.BookableServices.AsNoTracking().SingleOrDefaultAsync(s => s.Id == serviceId, cancellationToken) is not { } service)
        {
            return UseCaseError.NotFound("There is no such service.");
        }

        var settings = await db.BookingSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? new BookingSettings();
        var zone = BookingCalendar.ZoneOf(settings);
        var range = Dates(from, to, zone, 14);
        if (!range.Succeeded)
        {
            return range.Error!;
        }

        var (first, last) = range.Value;
        var staff = await db.StaffMembers.AsNoTracking().Where(s => service.StaffIds.Contains(s.Id) && (staffId == null || s.Id == staffId)).ToListAsync(cancellationToken);
        var availability = await book.AvailabilityAsync(settings, staff.Select(s => s.Id),
            first.AtStartOfDayInZone(zone).ToInstant() - Duration.FromDays(2), last.PlusDays(1).AtStartOfDayInZone(zone).ToInstant(), cancellationToken);
        var slots = availability.Slots(service, staff, first, last);
        return new SlotsView(zone.Id, [.. slots.Select(s => new SlotView(s.Start.ToDateTimeOffset(), s.End.ToDateTimeOffset(), Local(s.Start.ToDateTimeOffset(), zone), s.StaffIds))]);
    }

    /// <summary>The bookings that start between two dates (both included; default: today and the next 13 days), earliest first.</summary>
    public async Task<Outcome<IReadOnlyList<BookingView>>> ListAsync(string? from, string? to, Guid? staffId, Guid? contactId, BookingStatus? status, CancellationToken cancellationToken)
    {
        var zone = await ZoneAsync(cancellationToken);
        var range = Dates(from, to, zone, 14);
        if (!range.Succeeded)
        {
            return range.Error!;
        }

        // In UTC: PostgreSQL's timestamptz takes no other offset from Npgsql.
        var since = range.Value.First.AtStartOfDayInZone(zone).ToInstant().ToDateTimeOffset();
        var until = range.Value.Last.PlusDays(1).AtStartOfDayInZone(zone).ToInstant().ToDateTimeOffset();
        var query = db.Bookings.AsNoTracking().Where(b => b.StartAt >= since && b.StartAt < until);
        query = staffId is null ? query : query.Where(b => b.StaffId == staffId);
        query = contactId is null ? query : query.Where(b => b.ContactId == contactId);
        query = status is null ? query : query.Where(b => b.Status == status);
        var rows = await query.OrderBy(b => b.StartAt).ThenBy(b => b.Reference).Take(1000).ToListAsync(cancellationToken);
        return rows.Select(b => BookingView.Of(b, zone)).ToList();
    }

    public async Task<Outcome<BookingView>> GetAsync(Guid id, CancellationToken cancellationToken) =>
        await db.Bookings.AsNoTracking().SingleOrDefaultAsync(b => b.Id == id, cancellationToken) is { } booking
            ? BookingView.Of(booking, await ZoneAsync(cancellationToken))
            : UseCaseError.NotFound("There is no such booking.");

    public async Task<DateTimeZone> ZoneAsync(CancellationToken cancellationToken) =>
        BookingCalendar.ZoneOf(await db.BookingSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken));

    /// <summary>
    /// What the customer chose so far in the booking flows (<paramref name="flow"/>, as read once for the page), in words for the team ("Haircut",
    /// "2026-12-12 10:00", "with Sara", "moving TS-B-101"); empty when the conversation is in neither.
    /// </summary>
    public async Task<IReadOnlyList<string>> ChoiceInFlowAsync(Flows.FlowInProgressView flow, CancellationToken cancellationToken)
    {
        if (flow.Flow is not (BookingFlow.FlowName or MyBookingsFlow.FlowName))
        {
            return [];
        }

        var data = flow.Data;
        var choice = new List<string>();
        if (Id(data, BookingFlowKeys.Moving) is { } moving && await db.Bookings.AsNoTracking().SingleOrDefaultAsync(b => b.Id == moving, cancellationToken) is { } booking)
        {
            choice.Add($"moving {booking.Reference}");
        }

        if (Id(data, BookingFlowKeys.Service) is { } serviceId && await db.BookableServices.AsNoTracking().SingleOrDefaultAsync(s => s.Id == serviceId, cancellationToken) is { } service)
        {
            choice.Add(service.Name);
        }

        var zone = BookingCalendar.ZoneOf(await db.BookingSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? new BookingSettings());
        if (data.GetValueOrDefault(BookingFlowKeys.Start) is { } start && long.TryParse(start, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            choice.Add(Local(DateTimeOffset.FromUnixTimeSeconds(seconds), zone).Replace('T', ' '));
        }
        else if (data.GetValueOrDefault(BookingFlowKeys.Day) is { } day)
        {
            choice.Add(day);
        }

        if (data.GetValueOrDefault(BookingFlowKeys.Staff) == BookingFlowKeys.Anyone)
        {
            choice.Add("with anyone free");
        }
        else if (Id(data, BookingFlowKeys.Staff) is { } staffId && await db.StaffMembers.AsNoTracking().SingleOrDefaultAsync(s => s.Id == staffId, cancellationToken) is { } staff)
        {
            choice.Add($"with {staff.Name}");
        }

        return choice;

        static Guid? Id(IReadOnlyDictionary<string, string> data, string key) => Guid.TryParse(data.GetValueOrDefault(key), out var id) ? id : null;
    }

    public static string Local(DateTimeOffset at, DateTimeZone zone) =>
        NodaTime.Text.LocalDateTimePattern.GeneralIso.Format(Instant.FromDateTimeOffset(at).InZone(zone).LocalDateTime)[..16];

    private Outcome<(LocalDate First, LocalDate Last)> Dates(string? from, string? to, DateTimeZone zone, int days)
    {
        var today = Instant.FromDateTimeOffset(time.GetUtcNow()).InZone(zone).Date;
        var first = from is null ? today : HoursText.Date(from);
        if (first is null)
        {
            return UseCaseError.Invalid("from", $"\"{from}\" is not a date: write it as yyyy-MM-dd.");
        }

        var last = to is null ? first.Value.PlusDays(days - 1) : HoursText.Date(to);
        if (last is null)
        {
            return UseCaseError.Invalid("to", $"\"{to}\" is not a date: write it as yyyy-MM-dd.");
        }

        if (last < first)
        {
            return UseCaseError.Invalid("to", "The range ends before it starts.");
        }

        return Period.Between(first.Value, last.Value, PeriodUnits.Days).Days >= BookingLimits.MaxQueryDays
            ? UseCaseError.Invalid("to", $"Ask for {BookingLimits.MaxQueryDays} days at most.")
            : (first.Value, last.Value);
    }
}
