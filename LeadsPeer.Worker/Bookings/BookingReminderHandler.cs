using LeadsPeer.Core.Bookings;
using LeadsPeer.Core.Work;
using LeadsPeer.Worker.Work;

namespace LeadsPeer.Worker.Bookings;

/// <summary>
/// A booking's reminder row fell due: <see cref="BookingReminders"/> sends what is due (once) and
/// arms the next. A reminder that could not go is logged with why, never with the customer.
/// </summary>
public sealed partial class BookingReminderHandler(BookingReminders reminders, ILogger<BookingReminderHandler> logger) : IWorkHandler
{
    public WorkKind Kind => WorkKind.BookingReminder;

    public async Task<WorkResult> HandleAsync(WorkLease lease, CancellationToken cancellationToken)
    {
        if (await reminders.SendDueAsync(lease.SubjectId, cancellationToken) is ReminderRun.NotSent notSent)
        {
            LogNotSent(logger, lease.SubjectId, notSent.Reason);
        }

        return WorkResult.Done;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reminder of booking {BookingId} not sent: {Reason}")]
    private static partial void LogNotSent(ILogger logger, Guid bookingId, string reason);
}
