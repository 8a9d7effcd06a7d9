using LeadsPeer.Core.Bookings;

namespace LeadsPeer.Web.Bookings;

/// <summary>
/// The staff calendar feeds at the dashboard's own address, the one staff know: the links the
/// set-up page makes point here. Anonymous, as a calendar server has only the link (256 random
/// bits; nothing to guess). The Api serves the same feeds with the same handler.
/// </summary>
public static class CalendarFeedEndpoint
{
    public static IEndpointRouteBuilder MapCalendarFeed(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(CalendarFeeds.PathPrefix + "{file}", CalendarFeeds.ServeAsync).AllowAnonymous();
        return routes;
    }
}
