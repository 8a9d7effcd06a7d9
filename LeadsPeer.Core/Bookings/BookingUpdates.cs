using System.Globalization;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.WhatsApp.Templates;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace LeadsPeer.Core.Bookings;

/// <summary>
/// Tells a customer that the team moved or cancelled their booking, in text inside the 24-hour
/// window, through the one outbound path (opt-outs and restrictions apply as to any message).
/// Outside the window nothing is sent yet: the booking says why, so the team can call.
/// </summary>
public sealed class BookingUpdates(LeadsPeerDbContext db, Outbox outbox, TimeProvider time)
{
    /// <summary>Sends the update; returns why the customer could not be told, or null when the message is queued.</summary>
    public async Task<string?> NotifyAsync(Booking booking, CancellationToken cancellationToken)
    {
        if (booking.ContactId is null)
        {
            return "A walk-in: there is no WhatsApp conversation to tell them in.";
        }

        if (booking.ConversationId is not { } conversationId
            || await db.Conversations.AsNoTracking().SingleOrDefaultAsync(c => c.Id == conversationId, cancellationToken) is not { } conversation)
        {
            return "The booking's conversation no longer exists.";
        }

        var contact = await db.Contacts.AsNoTracking().SingleAsync(c => c.Id == conversation.ContactId, cancellationToken);
        if (TemplatePolicy.ContactRefusal(contact, conversation) is { } refusal && refusal != TemplatePolicy.NeverWrote)
        {
            return refusal;
        }

        if (!Window.IsOpen(conversation, time.GetUtcNow()))
        {
            return "The 24-hour window is closed, and booking updates are not sent as templates yet.";
        }

        var zone = await ZoneAsync(cancellationToken);
        var sent = await outbox.EnqueueTextAsync(conversation, Update(booking, zone), MessageAuthor.System, authorUserId: null, replyToTurn: null, cancellationToken);
        return sent.Succeeded ? null : sent.Error!.Title;
    }

    /// <summary>What the customer reads ("Your booking GTB-B-311, Haircut with Sara, is now on Tue 8 Dec at 17:00.").</summary>
    public static string Update(Booking booking, DateTimeZone zone) => booking.Status == BookingStatus.Cancelled
        ? $"Your booking {booking.Reference} ({booking.ServiceName} on {When(booking.StartAt, zone)}) was cancelled{(booking.CancelReason is { } reason ? $": {reason}" : ".")}"
        : $"Your booking {booking.Reference} ({booking.ServiceName} with {booking.StaffName}) has moved to {When(booking.StartAt, zone)}.";

    /// <summary>A day as customers and the team read it: "Tue 8 Dec".</summary>
    public static string Day(LocalDate date) => date.ToString("ddd d MMM", CultureInfo.InvariantCulture);

    /// <summary>A time as the business's customers read it, in its zone: "Tue 8 Dec at 17:00".</summary>
    public static string When(DateTimeOffset at, DateTimeZone zone) =>
        Instant.FromDateTimeOffset(at).InZone(zone).ToString("ddd d MMM 'at' HH:mm", CultureInfo.InvariantCulture);

    private async Task<DateTimeZone> ZoneAsync(CancellationToken cancellationToken) =>
        BookingCalendar.ZoneOf(await db.BookingSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken));
}
