using LeadsPeer.Core;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Bookings;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadsPeer.Api.Bookings;

/// <summary>What a new feed link is: the path and, for pasting into a calendar app, the whole URL.</summary>
public sealed record CalendarFeedLinkView(Guid StaffId, string Path, string Url);

/// <summary>
/// Staff calendar feeds: Owners and Admins make (or remake) and revoke a staff member's link; the
/// Owner decides whether feeds carry customers' names; calendar servers fetch the feed itself with
/// nothing but the link.
/// </summary>
public static class CalendarFeedEndpoints
{
    public static IEndpointRouteBuilder MapCalendarFeedEndpoints(this IEndpointRouteBuilder routes)
    {
        var manage = Permissions.PolicyName(Permission.ManageBookings);
        var feeds = routes.MapGroup("/api/booking").WithTags("Bookings")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        // Not .Idempotent(): a kept answer would store the link itself. A retry makes a new link and the earlier one stops, which harms nothing.
        feeds.MapPost("/staff/{id:guid}/calendar-feed", IssueAsync)
            .RequireAuthorization(manage).Refuses(FailureKind.NotFound)
            .WithDescription("Makes the staff member's calendar feed link (iCalendar), or a new one: the earlier link stops working. The link is shown once; only its hash is kept.");
        feeds.MapDelete("/staff/{id:guid}/calendar-feed", (Guid id, CalendarFeeds calendar, CancellationToken ct) => calendar.RevokeAsync(id, ct).NoContentOrRefusal())
            .RequireAuthorization(manage).Refuses(FailureKind.NotFound)
            .WithDescription("Revokes the staff member's feed: calendars subscribed to it get 404 from now on.");
        feeds.MapGet("/calendar-feeds", async (CalendarFeeds calendar, CancellationToken ct) => TypedResults.Ok(await calendar.SettingsAsync(ct)))
            .RequireAuthorization(Permissions.PolicyName(Permission.HandleConversations));
        feeds.MapPut("/calendar-feeds", (CalendarFeedSettings input, CalendarFeeds calendar, CancellationToken ct) => calendar.SaveSettingsAsync(input, ct).OkOrRefusal())
            .RequireAuthorization(Permissions.PolicyName(Permission.ShareCustomersInFeeds)).Refuses(FailureKind.Conflict)
            .WithDescription("`showCustomers`: whether the feeds carry the customer's name. Calendar apps fetch feeds through their providers' servers, "
                + "so the names then reach Google, Apple or Microsoft. The Owner's decision; off by default. Phone numbers are never in a feed.");

        // Anonymous: a calendar server has only the link. The token is 256 random bits, so there is
        // nothing to guess, and no rate limit: many subscribers' polls share a provider's addresses.
        routes.MapGet(CalendarFeeds.PathPrefix + "{file}", CalendarFeeds.ServeAsync).AllowAnonymous().WithTags("Bookings")
            .WithDescription("A staff member's bookings as an iCalendar (RFC 5545) feed: the last 30 days and everything ahead, cancelled ones marked so.");
        return routes;
    }

    private static async Task<Results<Ok<CalendarFeedLinkView>, Refusal>> IssueAsync(Guid id, HttpRequest request, CalendarFeeds calendar, CancellationToken ct)
    {
        var issued = await calendar.IssueAsync(id, ct);
        Outcome<CalendarFeedLinkView> view = issued.Succeeded
            ? new CalendarFeedLinkView(id, issued.Value!.Path, $"{request.Scheme}://{request.Host}{request.PathBase}{issued.Value.Path}")
            : issued.Error!;
        return view.OkOrRefusal();
    }
}
