namespace LeadsPeer.Core.Bookings;

/// <summary>
/// Which way a booking may go. Confirmed is the only live state: it ends as Completed or NoShow
/// (once it has started) or Cancelled (by the customer or the team, with a reason). A reschedule
/// keeps it Confirmed and records the earlier time.
/// </summary>
public static class BookingLifecycle
{
    public static bool Allows(BookingStatus from, BookingStatus to) =>
        from == BookingStatus.Confirmed && to is BookingStatus.Completed or BookingStatus.NoShow or BookingStatus.Cancelled;

    /// <summary>Completed and no-show say what happened, so they wait for the start.</summary>
    public static bool NeedsStart(BookingStatus to) => to is BookingStatus.Completed or BookingStatus.NoShow;

    public static string Words(BookingStatus status) => status switch
    {
        BookingStatus.Confirmed => "confirmed",
        BookingStatus.Completed => "completed",
        BookingStatus.NoShow => "marked as a no-show",
        _ => "cancelled",
    };
}
