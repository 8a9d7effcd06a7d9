using LeadsPeer.Core.Data;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Npgsql;

namespace LeadsPeer.Core.Bookings;

/// <summary>The checks <see cref="BookingBook"/> makes before and under its locks, and its refusals.</summary>
public sealed partial class BookingBook
{
    /// <summary>The staff member asked for (who must do the service), or everyone who does it, by name (availability refuses whoever takes no bookings now).</summary>
    private async Task<List<StaffMember>?> StaffForAsync(BookableService service, Guid? staffId, CancellationToken cancellationToken)
    {
        var staff = await db.StaffMembers.AsNoTracking().Where(s => service.StaffIds.Contains(s.Id)).OrderBy(s => s.Name).ToListAsync(cancellationToken);
        if (staffId is not { } asked)
        {
            return staff;
        }

        return staff.FirstOrDefault(s => s.Id == asked) is { } one ? [one] : null;
    }

    /// <summary>The first staff member free at <paramref name="start"/>, or why none is: a 400 for a time that breaks a rule, a 409 (with the next free starts) for one taken.</summary>
    private async Task<(StaffMember? Staff, UseCaseError? Refusal)> ChooseAsync(
        BookingSettings settings, BookableService service, List<StaffMember> staff, Instant start, SlotRules rules, Guid? ignoreBooking, CancellationToken cancellationToken)
    {
        if (staff.Count == 0)
        {
            return (null, UseCaseError.Invalid("serviceId", $"Nobody does {service.Name} yet: add staff to the service."));
        }

        var availability = await AvailabilityAsync(settings, staff.Select(s => s.Id), start - Duration.FromDays(2), start + Duration.FromDays(2), cancellationToken);
        var refusals = new List<NotFree>();
        foreach (var member in staff)
        {
            var why = availability.WhyNot(service, member, start, rules, ignoreBooking);
            if (why is null)
            {
                return (member, null);
            }

            refusals.Add(why);
        }

        // Someone who could have taken the time but is booked makes it a taken time (409, with the next free ones), not a mistake.
        return refusals.FirstOrDefault(r => r.Taken) is { } taken
            ? (null, await TakenAsync(settings, service, staff.Count == 1 ? staff[0].Id : null, start, taken.Why, rules, cancellationToken))
            : (null, UseCaseError.Invalid("start", refusals[0].Why));
    }

    /// <summary>Takes the staff member's row lock (every booking of theirs waits its turn) and checks the time again against what is stored now.</summary>
    private async Task<string?> TakenUnderLockAsync(BookingSettings settings, BookableService service, StaffMember staff, Instant start, Guid ignoreBooking, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM booking_staff WHERE id = {staff.Id} AND tenant_id = {settings.TenantId} FOR UPDATE", cancellationToken);
        var availability = await AvailabilityAsync(settings, [staff.Id], start - Duration.FromDays(2), start + Duration.FromDays(2), cancellationToken);
        return availability.WhyNot(service, staff, start, SlotRules.Team, ignoreBooking) is { Taken: true } taken ? taken.Why : null;
    }

    /// <summary>A taken time: for the team with the next free starts; the customer's flow lists the free times itself.</summary>
    private async Task<UseCaseError> TakenAsync(BookingSettings settings, BookableService service, Guid? staffId, Instant start, string why, SlotRules rules, CancellationToken cancellationToken)
    {
        var title = why.StartsWith("That time", StringComparison.Ordinal) ? why : $"That time is taken: {why}";
        if (rules == SlotRules.Customer)
        {
            return UseCaseError.Conflict(title);
        }

        var staff = await StaffForAsync(service, staffId, cancellationToken) ?? [];
        var zone = BookingCalendar.ZoneOf(settings);
        var from = start.InZone(zone).Date;
        var availability = await AvailabilityAsync(settings, staff.Select(s => s.Id), start - Duration.FromDays(2), start + Duration.FromDays(16), cancellationToken);
        var next = availability.Slots(service, staff, from, from.PlusDays(14)).Where(s => s.Start > start).Take(NextOffered)
            .Select(s => s.Start.ToDateTimeOffset()).ToList();
        return new UseCaseError(FailureKind.Conflict, title)
        {
            Facts = new Dictionary<string, object?> { ["nextFree"] = next },
        };
    }

    /// <summary>Availability over the confirmed bookings of <paramref name="staffIds"/> that reach into [from, to).</summary>
    internal async Task<Availability> AvailabilityAsync(BookingSettings settings, IEnumerable<Guid> staffIds, Instant from, Instant to, CancellationToken cancellationToken)
    {
        var ids = staffIds.ToList();
        var (since, until) = (from.ToDateTimeOffset(), to.ToDateTimeOffset());
        var busy = await db.Bookings.AsNoTracking()
            .Where(b => b.Status == BookingStatus.Confirmed && b.StaffId != null && ids.Contains(b.StaffId.Value) && b.StartAt < until && b.BlockedUntil > since)
            .Select(b => new { b.Id, b.StaffId, b.ServiceId, b.StartAt, b.BlockedUntil, b.Reference })
            .ToListAsync(cancellationToken);
        return new Availability(BookingCalendar.Of(settings),
            busy.Select(b => new BusyTime(b.Id, b.StaffId!.Value, b.ServiceId, Instant.FromDateTimeOffset(b.StartAt), Instant.FromDateTimeOffset(b.BlockedUntil), b.Reference)),
            Instant.FromDateTimeOffset(time.GetUtcNow()));
    }

    private static bool IsOverlap(DbUpdateException ex) =>
        ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.ExclusionViolation };

    private static string? Clean(string? text, string field, int max, Dictionary<string, string[]> errors)
    {
        var clean = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        if (clean?.Length > max)
        {
            errors[field] = [$"At most {max} characters."];
        }

        return clean;
    }

    private static readonly UseCaseError NotFound = UseCaseError.NotFound("There is no such booking.");

    private static UseCaseError Illegal(Booking booking, string move) =>
        new(FailureKind.Conflict, $"Booking {booking.Reference} is {BookingLifecycle.Words(booking.Status)}, so it cannot be {move}.")
        {
            Facts = new Dictionary<string, object?> { ["status"] = booking.Status.ToString() },
        };
}
