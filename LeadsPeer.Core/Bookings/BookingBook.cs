using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Live;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Npgsql;

namespace LeadsPeer.Core.Bookings;

/// <summary>A booking asked for: by the team (REST, dashboard) for an existing customer or a walk-in, or by the customer's own flow.</summary>
public sealed record NewBooking(Guid? ServiceId, DateTimeOffset? Start, Guid? StaffId = null, Guid? ContactId = null, string? CustomerName = null, string? Notes = null)
{
    /// <summary>The customer's booking run (the flow's key): booked once, whatever retries or second taps follow. Not taken from the API's body.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Guid? RequestKey { get; init; }
}

/// <summary>A move to another time (and, optionally, another staff member who does the service).</summary>
public sealed record BookingReschedule(DateTimeOffset? Start, Guid? StaffId = null);

/// <summary>
/// The one owner of <see cref="Booking"/>: books, reschedules, cancels, completes and marks
/// no-shows. A time is booked only when <see cref="Availability"/> would offer it, checked again
/// under the staff member's row lock inside the transaction that stores it, so two customers
/// tapping the same slot get one booking; PostgreSQL's exclusion constraint is the net beneath
/// (two overlapping confirmed one-to-one bookings of a staff member cannot both be stored).
/// A time taken in between is a 409 that carries the next free starts.
/// </summary>
public sealed partial class BookingBook(
    LeadsPeerDbContext db, CurrentMember member, AuditLog audit, BookingUpdates updates, BookingReminders reminders, LiveEventPublisher live, TimeProvider time)
{
    public const int NextOffered = 3;

    public async Task<Outcome<Booking>> BookAsync(NewBooking input, BookedBy by, Guid? conversationId, CancellationToken cancellationToken)
    {
        if (by == BookedBy.Team && member.Refuses(Permission.HandleConversations) is { } refused)
        {
            return refused;
        }

        if (input.RequestKey is { } key && await db.Bookings.AsNoTracking().SingleOrDefaultAsync(b => b.RequestKey == key, cancellationToken) is { } already)
        {
            return already; // the same Confirm again (a retry, a second tap): the booking it made
        }

        var errors = new Dictionary<string, string[]>();
        var notes = Clean(input.Notes, "notes", BookingLimits.Text, errors);
        var name = Clean(input.CustomerName, "customerName", 256, errors);
        if (input.ServiceId is null)
        {
            errors["serviceId"] = ["Name the service to book."];
        }

        if (input.Start is null)
        {
            errors["start"] = ["Give the start time, e.g. 2026-12-08T12:00:00Z."];
        }

        var contact = input.ContactId is { } contactId ? await db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.Id == contactId, cancellationToken) : null;
        if (input.ContactId is not null && contact is null)
        {
            errors["contactId"] = ["There is no such customer: only someone who has written to the business can be booked by contact (book a walk-in by name)."];
        }
        else if (contact is null && name is null)
        {
            errors["customerName"] = ["Name the customer, or give the contactId of one who has written to the business."];
        }

        var service = input.ServiceId is { } serviceId ? await db.BookableServices.AsNoTracking().SingleOrDefaultAsync(s => s.Id == serviceId, cancellationToken) : null;
        if (input.ServiceId is not null && service is null)
        {
            errors["serviceId"] = ["There is no such service."];
        }

        if (errors.Count > 0)
        {
            return new UseCaseError(FailureKind.Invalid, "The booking is not valid.", errors);
        }

        if (await db.BookingSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken) is not { } settings)
        {
            return UseCaseError.Conflict("Bookings are not set up yet: save the opening hours first.");
        }

        var staff = await StaffForAsync(service!, input.StaffId, cancellationToken);
        if (staff is null)
        {
            return UseCaseError.Invalid("staffId", $"There is no such staff member, or they do not do {service!.Name}.");
        }

        var start = Instant.FromDateTimeOffset(input.Start!.Value);
        var rules = by == BookedBy.Customer ? SlotRules.Customer : SlotRules.Team;
        var chosen = await ChooseAsync(settings, service!, staff, start, rules, ignoreBooking: null, cancellationToken);
        if (chosen.Staff is null)
        {
            return chosen.Refusal!;
        }

        conversationId ??= contact is null ? null
            : await db.Conversations.Where(c => c.ContactId == contact.Id).OrderByDescending(c => c.LastMessageAt).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(cancellationToken);
        var now = time.GetUtcNow();
        var booking = new Booking
        {
            Reference = "",
            ServiceId = service!.Id,
            ServiceName = service.Name,
            StaffId = chosen.Staff.Id,
            StaffName = chosen.Staff.Name,
            StartAt = start.ToDateTimeOffset(),
            EndAt = (start + Duration.FromMinutes(service.DurationMinutes)).ToDateTimeOffset(),
            BlockedUntil = (start + Duration.FromMinutes(service.DurationMinutes + service.BufferAfterMinutes)).ToDateTimeOffset(),
            Exclusive = service.Capacity == 1,
            Status = BookingStatus.Confirmed,
            ContactId = contact?.Id,
            ConversationId = contact is null ? null : conversationId,
            CustomerName = name ?? contact?.DisplayName ?? contact?.ProfileName,
            Notes = notes,
            BookedBy = by,
            RequestKey = input.RequestKey,
            CreatedAt = now,
            UpdatedAt = now,
        };

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await TakenUnderLockAsync(settings, service, chosen.Staff, start, booking.Id, cancellationToken) is { } taken)
        {
            await transaction.RollbackAsync(cancellationToken);
            return await TakenAsync(settings, service, input.StaffId, start, taken, rules, cancellationToken);
        }

        var number = await db.Database.SqlQuery<int>($"""
            UPDATE booking_settings SET next_booking_number = next_booking_number + 1 WHERE tenant_id = {settings.TenantId}
            RETURNING next_booking_number - 1 AS "Value"
            """).ToListAsync(cancellationToken); // not composed over: an UPDATE cannot be a subquery
        booking.Reference = $"{settings.ReferencePrefix}-B-{number.Single()}";
        db.Bookings.Add(booking);
        audit.Record(by == BookedBy.Customer ? "booking.booked-by-customer" : "booking.booked", nameof(Booking), booking.Id, $"{booking.Reference}: {booking.ServiceName} with {booking.StaffName}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await reminders.ArmAsync(booking, settings, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (IsOverlap(ex))
        {
            // The constraint caught what the lock should have: never two bookings of one time.
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return await TakenAsync(settings, service, input.StaffId, start, "That time was just taken.", rules, cancellationToken);
        }
        catch (DbUpdateException ex) when (input.RequestKey is { } runKey && StoreErrors.IsUniqueViolation(ex))
        {
            // The same run confirmed twice at once: the other one booked it.
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return await db.Bookings.AsNoTracking().SingleAsync(b => b.RequestKey == runKey, cancellationToken);
        }

        await AnnounceAsync(booking);
        return booking;
    }

    /// <summary>Moves a confirmed booking to another free time; the earlier time is kept in its history and the customer is told.</summary>
    public async Task<Outcome<Booking>> RescheduleAsync(Guid id, BookingReschedule input, BookedBy by, CancellationToken cancellationToken)
    {
        if (by == BookedBy.Team && member.Refuses(Permission.HandleConversations) is { } refused)
        {
            return refused;
        }

        if (input.Start is not { } wanted)
        {
            return UseCaseError.Invalid("start", "Give the new start time, e.g. 2026-12-08T12:00:00Z.");
        }

        if (await db.Bookings.AsNoTracking().SingleOrDefaultAsync(b => b.Id == id, cancellationToken) is not { } current)
        {
            return NotFound;
        }

        if (current.Status != BookingStatus.Confirmed)
        {
            return Illegal(current, "rescheduled");
        }

        var service = current.ServiceId is { } serviceId ? await db.BookableServices.AsNoTracking().SingleOrDefaultAsync(s => s.Id == serviceId, cancellationToken) : null;
        var settings = await db.BookingSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (service is null || settings is null)
        {
            return UseCaseError.Conflict($"The service of {current.Reference} was removed: cancel it and book again.");
        }

        var staff = await StaffForAsync(service, input.StaffId ?? current.StaffId, cancellationToken);
        if (staff is null)
        {
            return UseCaseError.Invalid("staffId", $"There is no such staff member, or they do not do {service.Name}.");
        }

        var start = Instant.FromDateTimeOffset(wanted);
        var rules = by == BookedBy.Customer ? SlotRules.Customer : SlotRules.Team;
        var chosen = await ChooseAsync(settings, service, staff, start, rules, ignoreBooking: id, cancellationToken);
        if (chosen.Staff is null)
        {
            return chosen.Refusal!;
        }

        Booking booking;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM bookings WHERE id = {id} AND tenant_id = {current.TenantId} FOR UPDATE", cancellationToken);
            booking = await db.Bookings.SingleAsync(b => b.Id == id, cancellationToken);
            if (booking.Status != BookingStatus.Confirmed)
            {
                return Illegal(booking, "rescheduled");
            }

            if (await TakenUnderLockAsync(settings, service, chosen.Staff, start, id, cancellationToken) is { } taken)
            {
                await transaction.RollbackAsync(cancellationToken);
                return await TakenAsync(settings, service, input.StaffId, start, taken, rules, cancellationToken);
            }

            var now = time.GetUtcNow();
            booking.Moves = [.. booking.Moves, new BookingMove(booking.StartAt, booking.StaffId, now, by)];
            booking.StartAt = start.ToDateTimeOffset();
            booking.EndAt = (start + Duration.FromMinutes(service.DurationMinutes)).ToDateTimeOffset();
            booking.BlockedUntil = (start + Duration.FromMinutes(service.DurationMinutes + service.BufferAfterMinutes)).ToDateTimeOffset();
            booking.StaffId = chosen.Staff.Id;
            booking.StaffName = chosen.Staff.Name;
            booking.UpdatedAt = now;
            // The new time has its own reminders, and the customer confirms it afresh.
            booking.RemindersSent = [];
            booking.CustomerConfirmedAt = null;
            audit.Record(by == BookedBy.Customer ? "booking.rescheduled-by-customer" : "booking.rescheduled", nameof(Booking), id,
                $"{booking.Reference}: {booking.Moves[^1].FromStart:u} → {booking.StartAt:u}");
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await reminders.ArmAsync(booking, settings, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (IsOverlap(ex))
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return await TakenAsync(settings, service, input.StaffId, start, "That time was just taken.", rules, cancellationToken);
            }
        }

        await AnnounceAsync(booking);
        return await NotifiedAsync(booking, by, cancellationToken);
    }

    /// <summary>Tells the open screens (the Calendar, the conversation beside it) that a booking changed, after the change committed.</summary>
    private Task AnnounceAsync(Booking booking) =>
        live.PublishAsync(booking.TenantId, new LiveEvent(LiveEventTypes.BookingChanged, ConversationId: booking.ConversationId, Status: booking.Status.ToString(), BookingId: booking.Id));
}
