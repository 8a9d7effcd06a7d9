using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.WhatsApp.Templates;
using LeadsPeer.Core.Work;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace LeadsPeer.Core.Bookings;

/// <summary>
/// Reminds customers of their bookings the configured times before the start (e.g. a day and two
/// hours): buttons to confirm, cancel or reschedule while the 24-hour window is open, the
/// organisation's UTILITY reminder template (its quick replies doing the same) once it is closed.
/// Each booking has one durable work row, armed for its next reminder in the transaction that
/// books or moves it and withdrawn when it is cancelled. A reminder is marked on the booking in
/// the transaction that queues its message, so a retried or doubled run never sends it twice.
/// </summary>
public sealed class BookingReminders(LeadsPeerDbContext db, Outbox outbox, WorkRows work, TimeProvider time)
{
    /// <summary>A reminder's buttons are answered by the customer's bookings flow at this step.</summary>
    public const string AskedBy = $"{Flows.GuidedFlows.AskedByPrefix}{MyBookingsFlow.FlowName}:{MyBookingsFlow.RemindStep}";

    /// <summary>
    /// The next reminder of <paramref name="booking"/> not yet sent: the earliest whose time is
    /// still to come when the booking was made or last moved (a booking made three hours ahead
    /// gets the two-hour reminder, not the day-before one). Null: none is left.
    /// </summary>
    public static DateTimeOffset? NextDue(Booking booking, IReadOnlyList<int> minutes) =>
        booking.Status == BookingStatus.Confirmed ? NextDue(Pending(booking, booking.RemindersSent, minutes)) : null;

    private static DateTimeOffset? NextDue(IEnumerable<(int Minutes, DateTimeOffset At)> pending) =>
        pending.Select(p => (DateTimeOffset?)p.At).Min();

    /// <summary>The reminders still to send for the booking's time, with when each is due: not sent, and due no earlier than the booking was made or moved.</summary>
    private static IEnumerable<(int Minutes, DateTimeOffset At)> Pending(Booking booking, IReadOnlyCollection<int> sent, IReadOnlyList<int> minutes) =>
        minutes.Where(m => !sent.Contains(m)).Select(m => (m, booking.StartAt.AddMinutes(-m))).Where(p => p.Item2 >= MadeAt(booking));

    /// <summary>Arms the booking's reminder row for its next reminder, inside the caller's transaction (the one storing the booking or its move).</summary>
    public async Task ArmAsync(Booking booking, BookingSettings settings, CancellationToken cancellationToken)
    {
        if (NextDue(booking, settings.ReminderMinutes) is { } due)
        {
            await work.ArmAsync(db, WorkRequest.BookingReminder(booking.TenantId, booking.Id, due), cancellationToken);
        }
        else
        {
            await WithdrawAsync(booking, cancellationToken);
        }
    }

    /// <summary>The booking's reminder is not wanted (cancelled, moved inside every reminder): its row is closed unless a run holds it, which finds nothing to send.</summary>
    public Task WithdrawAsync(Booking booking, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync($"""
            UPDATE work_items SET state = 'Done', updated_at = {time.GetUtcNow()}
            WHERE kind = {WorkKind.BookingReminder.ToString()} AND dedupe_key = {WorkSql.DedupePrefix(WorkKind.BookingReminder) + booking.Id} AND state = 'Pending'
            """, cancellationToken);

    /// <summary>
    /// Sends the booking's reminder when one is due (the latest due, once; earlier ones that were
    /// missed are passed over, never sent late in a row) and arms the next. What happened, in words
    /// for the log: nothing names the customer.
    /// </summary>
    public async Task<ReminderRun> SendDueAsync(Guid bookingId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var booking = await db.Bookings.AsNoTracking().SingleOrDefaultAsync(b => b.Id == bookingId, cancellationToken);
        var settings = await db.BookingSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (booking is null || settings is null || booking.Status != BookingStatus.Confirmed || booking.StartAt <= now)
        {
            return ReminderRun.NotWanted;
        }

        var due = Pending(booking, booking.RemindersSent, settings.ReminderMinutes).Where(p => p.At <= now).Select(p => p.Minutes).Order().ToArray();
        if (due.Length == 0)
        {
            // Woken before anything is due (the reminder times changed since it was armed): armed
            // again from the booking as it is under its lock, so a move committed meanwhile wins.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var locked = await db.Bookings.FromSqlInterpolated($"SELECT * FROM bookings WHERE id = {booking.Id} FOR UPDATE").AsNoTracking().SingleAsync(cancellationToken);
            await ArmAsync(locked, settings, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return ReminderRun.NotDue;
        }

        // Marks these reminders sent for this time of the booking, and arms the next, with the message or without one.
        async Task<bool> ClaimAsync(CancellationToken token)
        {
            var claimed = await db.Database.ExecuteSqlInterpolatedAsync($"""
                UPDATE bookings SET reminders_sent = array_cat(reminders_sent, {due})
                WHERE id = {booking.Id} AND tenant_id = {booking.TenantId} AND status = 'Confirmed' AND start_at = {booking.StartAt}
                  AND NOT (reminders_sent && {due})
                """, token) == 1;
            if (claimed && NextDue(Pending(booking, [.. booking.RemindersSent, .. due], settings.ReminderMinutes)) is { } next)
            {
                await work.ArmAsync(db, WorkRequest.BookingReminder(booking.TenantId, booking.Id, next), token);
            }

            return claimed;
        }

        var (message, notSent) = await ComposeAsync(booking, settings, cancellationToken);
        if (message is null)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var claimed = await ClaimAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return claimed ? new ReminderRun.NotSent(notSent!) : ReminderRun.Overtaken;
        }

        var queued = await message(ClaimAsync);
        if (!queued.Succeeded)
        {
            // Refused at the last check (the customer opted out meanwhile): passed over, as above.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await ClaimAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new ReminderRun.NotSent(queued.Error!.Title);
        }

        return queued.Value is null ? ReminderRun.Overtaken : ReminderRun.Sent;
    }

    /// <summary>What a reminder is for this customer now: a way to queue it, or why it cannot go.</summary>
    private async Task<(Func<Func<CancellationToken, Task<bool>>, Task<Outcome<Message?>>>? Queue, string? NotSent)> ComposeAsync(
        Booking booking, BookingSettings settings, CancellationToken cancellationToken)
    {
        if (booking.ConversationId is not { } conversationId
            || await db.Conversations.AsNoTracking().SingleOrDefaultAsync(c => c.Id == conversationId, cancellationToken) is not { } conversation)
        {
            return (null, "A walk-in, or a customer erased since: there is no WhatsApp conversation to remind them in.");
        }

        var contact = await db.Contacts.AsNoTracking().SingleAsync(c => c.Id == conversation.ContactId, cancellationToken);
        if (TemplatePolicy.ContactRefusal(contact, conversation) is { } refusal && refusal != TemplatePolicy.NeverWrote)
        {
            return (null, refusal);
        }

        var zone = BookingCalendar.ZoneOf(settings);
        var choices = new[] { ($"c:{booking.Id:N}", "Confirm"), ($"x:{booking.Id:N}", "Cancel"), ($"m:{booking.Id:N}", "Reschedule") };
        if (Window.IsOpen(conversation, time.GetUtcNow()))
        {
            var text = $"Reminder: your booking {booking.Reference}, {booking.ServiceName} with {booking.StaffName}, {Soon(booking.StartAt, zone)}: {BookingUpdates.When(booking.StartAt, zone)}.\n"
                + "Tap Confirm if you are coming, or Cancel or Reschedule.";
            var question = Flows.FlowMessages.Buttons(text, choices);
            return (claim => outbox.EnqueueInteractiveAsync(conversation, question, MessageAuthor.System, authorUserId: null, replyToTurn: null, AskedBy, cancellationToken,
                outcomeReason: "A booking reminder.", commitsWith: claim), null);
        }

        if (settings.ReminderTemplateName is not { } name)
        {
            return (null, "The 24-hour window is closed and no reminder template is set in the booking settings.");
        }

        var template = await db.MessageTemplates.AsNoTracking()
            .Where(t => t.ConnectionId == conversation.ConnectionId && t.Name == name && (settings.ReminderTemplateLanguage == null || t.Language == settings.ReminderTemplateLanguage))
            .FirstOrDefaultAsync(cancellationToken);
        // Each quick reply of the template carries the action its words name; the rest confirm.
        var buttons = template is null ? [] : TemplateShape.Parse(template.Components).QuickReplies
            .Select(b => b.Text.Contains("cancel", StringComparison.OrdinalIgnoreCase) ? choices[1].Item1
                : b.Text.Contains("schedul", StringComparison.OrdinalIgnoreCase) || b.Text.Contains("move", StringComparison.OrdinalIgnoreCase) || b.Text.Contains("change", StringComparison.OrdinalIgnoreCase) ? choices[2].Item1
                : choices[0].Item1)
            .ToList();
        var values = settings.ReminderParameters().ToDictionary(p => p.Key, p => Field(booking, zone, p.Value));
        var (prepared, refused) = await outbox.PrepareTemplateAsync(conversation, new TemplateMessage(name, settings.ReminderTemplateLanguage, values, buttons), TemplateSender.System, cancellationToken);
        if (prepared is null)
        {
            return (null, refused!.Errors?.Values.FirstOrDefault()?.FirstOrDefault() ?? refused.Title);
        }

        return (claim => outbox.EnqueueTemplateAsync(conversation, prepared, MessageAuthor.System, authorUserId: null, AskedBy, cancellationToken, commitsWith: claim), null);
    }

    private static string Field(Booking booking, DateTimeZone zone, string field) => field switch
    {
        BookingFields.Reference => booking.Reference,
        BookingFields.Service => booking.ServiceName,
        BookingFields.Staff => booking.StaffName,
        BookingFields.Time => BookingUpdates.When(booking.StartAt, zone),
        BookingFields.Name => booking.CustomerName ?? "there",
        _ => "",
    };

    /// <summary>"is today", "is tomorrow", "is coming up": the day as the customer reads it, in the business's zone.</summary>
    private string Soon(DateTimeOffset start, DateTimeZone zone)
    {
        var today = Instant.FromDateTimeOffset(time.GetUtcNow()).InZone(zone).Date;
        var day = Instant.FromDateTimeOffset(start).InZone(zone).Date;
        return day == today ? "is today" : day == today.PlusDays(1) ? "is tomorrow" : "is coming up";
    }

    private static DateTimeOffset MadeAt(Booking booking) => booking.Moves.Count > 0 ? booking.Moves[^1].MovedAt : booking.CreatedAt;
}

/// <summary>What a reminder run did.</summary>
public abstract record ReminderRun
{
    private ReminderRun()
    {
    }

    public static readonly ReminderRun Sent = new Queued();
    public static readonly ReminderRun NotDue = new Waiting();
    public static readonly ReminderRun NotWanted = new Closed();
    /// <summary>Another run sent it, or the booking moved or ended since it was read (its own change armed what comes next).</summary>
    public static readonly ReminderRun Overtaken = new Twice();

    /// <summary>Due, but it could not go (a walk-in, the window closed without a template, an opt-out): marked, so it is not tried again.</summary>
    public sealed record NotSent(string Reason) : ReminderRun;

    private sealed record Queued : ReminderRun;

    private sealed record Waiting : ReminderRun;

    private sealed record Closed : ReminderRun;

    private sealed record Twice : ReminderRun;
}
