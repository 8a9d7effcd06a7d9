using LeadsPeer.Core.Accounts;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Bookings;

public sealed partial class BookingBook
{
    /// <summary>Cancels a confirmed booking: the team gives a reason (the customer is told it); a customer's own cancel needs none.</summary>
    public async Task<Outcome<Booking>> CancelAsync(Guid id, string? reason, BookedBy by, CancellationToken cancellationToken)
    {
        if (by == BookedBy.Team && member.Refuses(Permission.HandleConversations) is { } refused)
        {
            return refused;
        }

        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (by == BookedBy.Team && reason is null)
        {
            return UseCaseError.Invalid("reason", "Say why the booking is cancelled: the customer is told.");
        }

        if (reason?.Length > BookingLimits.Text)
        {
            return UseCaseError.Invalid("reason", $"A reason is at most {BookingLimits.Text} characters.");
        }

        return await MoveAsync(id, BookingStatus.Cancelled, reason ?? "Cancelled by the customer.", by, cancellationToken);
    }

    /// <summary>The team records how a booking that has started went: completed, or the customer did not come.</summary>
    public async Task<Outcome<Booking>> CloseAsync(Guid id, BookingStatus to, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.HandleConversations) is { } refused)
        {
            return refused;
        }

        return await MoveAsync(id, to, reason: null, BookedBy.Team, cancellationToken);
    }

    /// <summary>
    /// The customer tapped Confirm on a reminder: noted for the team (a "confirmed by the customer"
    /// mark), only on their own booking while it is confirmed and upcoming. False otherwise.
    /// </summary>
    public async Task<bool> ConfirmAttendanceAsync(Guid id, Guid contactId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var confirmed = await db.Bookings
            .UpcomingOf(contactId, now).Where(b => b.Id == id)
            .ExecuteUpdateAsync(b => b.SetProperty(x => x.CustomerConfirmedAt, x => x.CustomerConfirmedAt ?? now), cancellationToken);
        if (confirmed == 1)
        {
            await AnnounceAsync(await db.Bookings.AsNoTracking().SingleAsync(b => b.Id == id, cancellationToken));
        }

        return confirmed == 1;
    }

    private async Task<Outcome<Booking>> MoveAsync(Guid id, BookingStatus to, string? reason, BookedBy by, CancellationToken cancellationToken)
    {
        Booking booking;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // The row lock orders this move with any other on the same booking (two operators, the customer's own cancel).
            var locked = await db.Bookings.FromSqlInterpolated($"SELECT * FROM bookings WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
            if (locked is null)
            {
                return NotFound;
            }

            booking = locked;
            if (!BookingLifecycle.Allows(booking.Status, to))
            {
                return Illegal(booking, BookingLifecycle.Words(to));
            }

            var now = time.GetUtcNow();
            if (BookingLifecycle.NeedsStart(to) && booking.StartAt > now)
            {
                return new UseCaseError(FailureKind.Conflict, $"Booking {booking.Reference} has not started yet: it can be {BookingLifecycle.Words(to)} once it has.")
                {
                    Facts = new Dictionary<string, object?> { ["status"] = booking.Status.ToString() },
                };
            }

            var from = booking.Status;
            booking.Status = to;
            booking.CancelledBy = to == BookingStatus.Cancelled ? by : null;
            booking.CancelReason = to == BookingStatus.Cancelled ? reason : null;
            booking.UpdatedAt = now;
            audit.Record(by == BookedBy.Customer ? "booking.cancelled-by-customer" : "booking.status", nameof(Booking), booking.Id,
                $"{booking.Reference}: {from} → {to}{(reason is null ? "" : $" ({reason})")}");
            await db.SaveChangesAsync(cancellationToken);
            await reminders.WithdrawAsync(booking, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await AnnounceAsync(booking);
        return to == BookingStatus.Cancelled ? await NotifiedAsync(booking, by, cancellationToken) : booking;
    }

    /// <summary>
    /// After a change the team made is committed, the customer hears of it (never of a change that
    /// did not happen); why they could not is kept on the booking for the team to see.
    /// </summary>
    private async Task<Booking> NotifiedAsync(Booking booking, BookedBy by, CancellationToken cancellationToken)
    {
        if (by == BookedBy.Customer)
        {
            return booking; // the customer's own flow answers them
        }

        booking.NotNotifiedReason = await updates.NotifyAsync(booking, cancellationToken);
        await db.Bookings.Where(b => b.Id == booking.Id).ExecuteUpdateAsync(b => b.SetProperty(x => x.NotNotifiedReason, booking.NotNotifiedReason), cancellationToken);
        return booking;
    }
}
