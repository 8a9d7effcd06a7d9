using LeadsPeer.Core.Accounts;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Bookings;

/// <summary>The staff members bookings are made with.</summary>
public sealed partial class BookingSetupService
{
    public async Task<Outcome<StaffView>> SaveStaffAsync(Guid? id, StaffInput input, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ManageBookings) is { } refused)
        {
            return refused;
        }

        var staff = id is { } existing ? await db.StaffMembers.SingleOrDefaultAsync(s => s.Id == existing, cancellationToken) : null;
        if (id is not null && staff is null)
        {
            return UseCaseError.NotFound("There is no such staff member.");
        }

        var errors = new Dictionary<string, string[]>();
        var name = Text(input.Name, "name", BookingLimits.Name, required: true, errors);
        var week = input.WeeklyHours is null ? null : HoursText.ReadWeek(input.WeeklyHours, "weeklyHours", errors);

        var daysOff = new List<DateOnly>();
        if (input.DaysOff?.Count > BookingLimits.MaxDaysOff)
        {
            errors["daysOff"] = [$"At most {BookingLimits.MaxDaysOff} days off."];
        }

        for (var i = 0; i < (input.DaysOff?.Count ?? 0) && i < BookingLimits.MaxDaysOff; i++)
        {
            if (HoursText.Date(input.DaysOff![i]) is { } day)
            {
                daysOff.Add(day.ToDateOnly());
            }
            else
            {
                errors[$"daysOff[{i}]"] = [$"\"{input.DaysOff[i]}\" is not a date: write it as yyyy-MM-dd."];
            }
        }

        if (errors.Count > 0)
        {
            return new UseCaseError(FailureKind.Invalid, "The staff member is not valid.", errors);
        }

        if (await db.StaffMembers.AnyAsync(s => s.Name == name && s.Id != (staff == null ? Guid.Empty : staff.Id), cancellationToken))
        {
            return UseCaseError.Conflict($"Another staff member is called '{name}'.");
        }

        var now = time.GetUtcNow();
        if (staff is null)
        {
            staff = new StaffMember { Name = name!, CreatedAt = now };
            db.StaffMembers.Add(staff);
        }

        staff.Name = name!;
        staff.WeeklyHours = week is null ? null : BookingJson.Write(week);
        staff.DaysOff = [.. daysOff.Distinct().Order()];
        staff.Active = input.Active ?? true;
        staff.UpdatedAt = now;
        audit.Record(id is null ? "booking.staff.created" : "booking.staff.updated", nameof(StaffMember), staff.Id, staff.Name);
        await db.SaveChangesAsync(cancellationToken);
        return StaffView.Of(staff);
    }

    public async Task<Outcome<bool>> DeleteStaffAsync(Guid id, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ManageBookings) is { } refused)
        {
            return refused;
        }

        if (await db.StaffMembers.SingleOrDefaultAsync(s => s.Id == id, cancellationToken) is not { } staff)
        {
            return UseCaseError.NotFound("There is no such staff member.");
        }

        if (await UpcomingAsync(b => b.StaffId == id, cancellationToken) is { } upcoming)
        {
            return upcoming;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE booking_services SET staff_ids = array_remove(staff_ids, {id}) WHERE tenant_id = {staff.TenantId} AND {id} = ANY(staff_ids)", cancellationToken);
        db.StaffMembers.Remove(staff);
        audit.Record("booking.staff.deleted", nameof(StaffMember), id, staff.Name);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
