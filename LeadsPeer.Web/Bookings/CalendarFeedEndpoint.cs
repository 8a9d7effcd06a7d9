using LeadsPeer.Core.Bookings;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadsPeer.Web.Bookings;

/// <summary>
/// The staff calendar feeds at the dashboard's own address, the one staff know: the links the
/// set-up page makes point here. Anonymous, as a calendar server has only the link (256 random
/// bits; nothing to guess).
/// </summary>
public static class CalendarFeedEndpoint
{
    public static IEndpointRouteBuilder MapCalendarFeed(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(CalendarFeeds.PathPrefix + "{file}", FeedAsync).AllowAnonymous();
        return routes;
    }

    private static async Task<Results<ContentHttpResult, NotFound>> FeedAsync(string file, HttpContext context, CalendarFeeds calendar, CancellationToken ct)
    {
        if (await calendar.RenderAsync(file, ct) is not { } feed)
        {
            return TypedResults.NotFound();
        }

        // Never stored by a cache between: the feed names the business's bookings.
        context.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.Content(feed, "text/calendar; charset=utf-8");
    }
}
