using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Catalog;
using LeadsPeer.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Bookings;

public sealed record ServiceInput(
    string? Name = null,
    string? Description = null,
    int? DurationMinutes = null,
    int? IntervalMinutes = null,
    int? BufferAfterMinutes = null,
    int? HorizonDays = null,
    int? MinimumNoticeMinutes = null,
    int? Capacity = null,
    decimal? Price = null,
    string? Currency = null,
    IReadOnlyList<Guid>? StaffIds = null,
    bool? Active = null);

public sealed record ServiceView(
    Guid Id, string Name, string? Description, int DurationMinutes, int IntervalMinutes, int BufferAfterMinutes, int HorizonDays,
    int MinimumNoticeMinutes, int Capacity, decimal? Price, string? Currency, IReadOnlyList<Guid> StaffIds, bool Active)
{
    public static ServiceView Of(BookableService s) => new(
        s.Id, s.Name, s.Description, s.DurationMinutes, s.IntervalMinutes, s.BufferAfterMinutes, s.HorizonDays, s.MinimumNoticeMinutes, s.Capacity,
        s.PriceMinor is { } minor && s.Currency is { } currency ? Money.ToAmount(minor, currency) : null, s.Currency, s.StaffIds, s.Active);
}

/// <summary>A staff member as written: <see cref="WeeklyHours"/> null works the opening hours; days off as yyyy-MM-dd.</summary>
public sealed record StaffInput(
    string? Name = null,
    IReadOnlyDictionary<string, IReadOnlyList<HoursRange>>? WeeklyHours = null,
    IReadOnlyList<string>? DaysOff = null,
    bool? Active = null);

public sealed record StaffView(Guid Id, string Name, IReadOnlyDictionary<string, IReadOnlyList<HoursRange>>? WeeklyHours, IReadOnlyList<string> DaysOff, bool Active)
{
    public static StaffView Of(StaffMember s) => new(
        s.Id, s.Name, s.WeeklyHours is null ? null : BookingJson.Week(s.WeeklyHours), [.. s.DaysOff.Order().Select(d => d.ToString("yyyy-MM-dd"))], s.Active);
}

/// <summary>
/// What can be booked and with whom. Every member reads it (operators book for customers);
/// changing it takes <see cref="Permission.ManageBookings"/>. Removing a service or a staff member
/// with upcoming bookings is refused: those bookings are moved or cancelled first, so no customer
/// is left holding a time nobody will keep.
/// </summary>
public sealed partial class BookingSetupService(LeadsPeerDbContext db, CurrentMember member, AuditLog audit, TimeProvider time)
{
    public async Task<IReadOnlyList<ServiceView>> ServicesAsync(CancellationToken cancellationToken) =>
        [.. (await db.BookableServices.AsNoTracking().OrderBy(s => s.Name).ToListAsync(cancellationToken)).Select(ServiceView.Of)];

    public async Task<IReadOnlyList<StaffView>> StaffAsync(CancellationToken cancellationToken) =>
        [.. (await db.StaffMembers.AsNoTracking().OrderBy(s => s.Name).ToListAsync(cancellationToken)).Select(StaffView.Of)];

    public async Task<Outcome<ServiceView>> SaveServiceAsync(Guid? id, ServiceInput input, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ManageBookings) is { } refused)
        {
            return refused;
        }

        var service = id is { } existing ? await db.BookableServices.SingleOrDefaultAsync(s => s.Id == existing, cancellationToken) : null;
        if (id is not null && service is null)
        {
            return UseCaseError.NotFound("There is no such service.");
        }

        var errors = new Dictionary<string, string[]>();
        var name = Text(input.Name, "name", BookingLimits.Name, required: true, errors);
        var description = Text(input.Description, "description", BookingLimits.Text, required: false, errors);
        var duration = Number(input.DurationMinutes, "durationMinutes", 5, BookingLimits.MaxDurationMinutes, null, errors);
        var interval = Number(input.IntervalMinutes, "intervalMinutes", 5, BookingLimits.MaxDurationMinutes, 30, errors);
        var buffer = Number(input.BufferAfterMinutes, "bufferAfterMinutes", 0, BookingLimits.MaxBufferMinutes, 0, errors);
        var horizon = Number(input.HorizonDays, "horizonDays", 1, BookingLimits.MaxHorizonDays, 30, errors);
        var notice = Number(input.MinimumNoticeMinutes, "minimumNoticeMinutes", 0, BookingLimits.MaxNoticeMinutes, 60, errors);
        var capacity = Number(input.Capacity, "capacity", 1, BookingLimits.MaxCapacity, 1, errors);
        long? priceMinor = null;
        string? currency = null;
        if (input.Price is { } price)
        {
            currency = input.Currency?.Trim().ToUpperInvariant()
                ?? await db.OrderingSettings.AsNoTracking().Select(o => o.Currency).SingleOrDefaultAsync(cancellationToken);
            if (!Money.IsCurrency(currency))
            {
                errors["currency"] = ["Name the price's currency as an ISO 4217 code, e.g. PKR."];
            }
            else
            {
                (priceMinor, var error) = Money.ToMinor(price, currency!);
                if (error is not null)
                {
                    errors["price"] = [error];
                }
            }
        }

        var staffIds = (input.StaffIds ?? []).Distinct().ToList();
        var known = await db.StaffMembers.Where(s => staffIds.Contains(s.Id)).Select(s => s.Id).ToListAsync(cancellationToken);
        if (staffIds.Except(known).ToList() is [var missing, ..])
        {
            errors["staffIds"] = [$"There is no staff member {missing} in this organisation."];
        }

        if (errors.Count > 0)
        {
            return new UseCaseError(FailureKind.Invalid, "The service is not valid.", errors);
        }

        if (await db.BookableServices.AnyAsync(s => s.Name == name && s.Id != (service == null ? Guid.Empty : service.Id), cancellationToken))
        {
            return UseCaseError.Conflict($"Another service is called '{name}'.");
        }

        var now = time.GetUtcNow();
        if (service is null)
        {
            service = new BookableService { Name = name!, CreatedAt = now };
            db.BookableServices.Add(service);
        }

        service.Name = name!;
        service.Description = description;
        service.DurationMinutes = duration;
        service.IntervalMinutes = interval;
        service.BufferAfterMinutes = buffer;
        service.HorizonDays = horizon;
        service.MinimumNoticeMinutes = notice;
        service.Capacity = capacity;
        service.PriceMinor = priceMinor;
        service.Currency = priceMinor is null ? null : currency;
        service.StaffIds = staffIds;
        service.Active = input.Active ?? true;
        service.UpdatedAt = now;
        audit.Record(id is null ? "booking.service.created" : "booking.service.updated", nameof(BookableService), service.Id, service.Name);
        await db.SaveChangesAsync(cancellationToken);
        return ServiceView.Of(service);
    }

    public async Task<Outcome<bool>> DeleteServiceAsync(Guid id, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ManageBookings) is { } refused)
        {
            return refused;
        }

        if (await db.BookableServices.SingleOrDefaultAsync(s => s.Id == id, cancellationToken) is not { } service)
        {
            return UseCaseError.NotFound("There is no such service.");
        }

        if (await UpcomingAsync(b => b.ServiceId == id, cancellationToken) is { } upcoming)
        {
            return upcoming;
        }

        db.BookableServices.Remove(service);
        audit.Record("booking.service.deleted", nameof(BookableService), id, service.Name);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private async Task<UseCaseError?> UpcomingAsync(System.Linq.Expressions.Expression<Func<Booking, bool>> of, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var count = await db.Bookings.Where(of).CountAsync(b => b.Status == BookingStatus.Confirmed && b.EndAt > now, cancellationToken);
        return count == 0 ? null : UseCaseError.Conflict($"{count} upcoming booking{(count == 1 ? " is" : "s are")} still confirmed: move or cancel {(count == 1 ? "it" : "them")} first.");
    }

    private static string? Text(string? text, string field, int max, bool required, Dictionary<string, string[]> errors)
    {
        var clean = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        if (clean is null && required)
        {
            errors[field] = ["Give it a name."];
        }
        else if (clean?.Length > max)
        {
            errors[field] = [$"At most {max} characters."];
        }

        return clean;
    }

    private static int Number(int? value, string field, int min, int max, int? fallback, Dictionary<string, string[]> errors)
    {
        if ((value ?? fallback) is not { } number)
        {
            errors[field] = ["Required."];
            return 0;
        }

        if (number < min || number > max)
        {
            errors[field] = [$"From {min} to {max}."];
        }

        return number;
    }
}
