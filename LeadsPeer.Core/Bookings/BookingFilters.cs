using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Bookings;

/// <summary>The two questions the flows, the tools and the queries all ask of bookings, written once.</summary>
public static class BookingFilters
{
    /// <summary>The services a customer may be offered: switched on, and done by someone.</summary>
    public static IQueryable<BookableService> Offered(this IQueryable<BookableService> services) =>
        services.Where(s => s.Active && s.StaffIds.Count > 0);

    /// <summary>A customer's confirmed bookings still to come, earliest first.</summary>
    public static IQueryable<Booking> UpcomingOf(this IQueryable<Booking> bookings, Guid contactId, DateTimeOffset now) =>
        bookings.Where(b => b.ContactId == contactId && b.Status == BookingStatus.Confirmed && b.StartAt > now).OrderBy(b => b.StartAt);
}
