using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Bookings;

/// <summary>A staff member's feed link, shown once when it is made: the token is not kept, only its hash.</summary>
public sealed record CalendarFeedLink(Guid StaffId, string Path);

/// <summary>Whether the staff feeds carry the customer's name (they leave through the calendar providers' servers).</summary>
public sealed record CalendarFeedSettings(bool ShowCustomers);

/// <summary>
/// A staff member's bookings as an iCalendar (RFC 5545) feed behind an unguessable, revocable
/// link, so they see them in their phone's calendar. Calendar apps fetch a feed through their
/// providers' servers (Google, Apple, Microsoft), so it carries the service, the times and the
/// reference, and the customer's name only when the Owner turns that on; never a phone number.
/// </summary>
public sealed class CalendarFeeds(LeadsPeerDbContext db, CurrentMember member, AuditLog audit, TimeProvider time)
{
    /// <summary>Where feeds are served; the token and ".ics" follow.</summary>
    public const string PathPrefix = "/calendar/";

    /// <summary>How far back a feed reaches: recent bookings stay visible, older ones drop off.</summary>
    private static readonly TimeSpan History = TimeSpan.FromDays(30);

    /// <summary>Makes the staff member's feed link, or a new one (the old link stops working).</summary>
    public async Task<Outcome<CalendarFeedLink>> IssueAsync(Guid staffId, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ManageBookings) is { } refused)
        {
            return refused;
        }

        var token = SecretTokens.New();
        var changed = await db.StaffMembers.Where(s => s.Id == staffId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.FeedTokenHash, SecretTokens.Hash(token)), cancellationToken);
        if (changed == 0)
        {
            return UseCaseError.NotFound("There is no such staff member.");
        }

        audit.Record("booking.feed.issued", nameof(StaffMember), staffId, null);
        await db.SaveChangesAsync(cancellationToken);
        return new CalendarFeedLink(staffId, $"{PathPrefix}{token}.ics");
    }

    /// <summary>Stops the staff member's feed: calendars subscribed to it get 404 from now on.</summary>
    public async Task<Outcome<bool>> RevokeAsync(Guid staffId, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ManageBookings) is { } refused)
        {
            return refused;
        }

        if (await db.StaffMembers.Where(s => s.Id == staffId).ExecuteUpdateAsync(s => s.SetProperty(x => x.FeedTokenHash, (string?)null), cancellationToken) == 0)
        {
            return UseCaseError.NotFound("There is no such staff member.");
        }

        audit.Record("booking.feed.revoked", nameof(StaffMember), staffId, null);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<CalendarFeedSettings> SettingsAsync(CancellationToken cancellationToken) =>
        new(await db.BookingSettings.AsNoTracking().Select(s => s.FeedShowsCustomers).SingleOrDefaultAsync(cancellationToken));

    /// <summary>Turns the customer's name in the feeds on or off: the Owner's decision, as the names then reach the calendar providers.</summary>
    public async Task<Outcome<CalendarFeedSettings>> SaveSettingsAsync(CalendarFeedSettings input, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ShareCustomersInFeeds) is { } refused)
        {
            return refused;
        }

        if (await db.BookingSettings.ExecuteUpdateAsync(s => s.SetProperty(x => x.FeedShowsCustomers, input.ShowCustomers), cancellationToken) == 0)
        {
            return UseCaseError.Conflict("Bookings are not set up yet: save the opening hours first.");
        }

        audit.Record("booking.feed.customers", nameof(BookingSettings), member.OrganizationId ?? Guid.Empty, input.ShowCustomers ? "shown" : "hidden");
        await db.SaveChangesAsync(cancellationToken);
        return input;
    }

    /// <summary>
    /// The feed as a calendar server fetches it, the one handler both hosts map at
    /// <see cref="PathPrefix"/> + <c>{file}</c> (anonymous: the link is the credential): iCalendar
    /// text never kept by a cache between, or 404 for a link that does not exist or was revoked.
    /// </summary>
    public static async Task<Results<ContentHttpResult, NotFound>> ServeAsync(string file, HttpContext context, CalendarFeeds calendar, CancellationToken cancellationToken)
    {
        if (await calendar.RenderAsync(file, cancellationToken) is not { } feed)
        {
            return TypedResults.NotFound();
        }

        context.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.Content(feed, "text/calendar; charset=utf-8");
    }

    /// <summary>
    /// The feed a link's last segment (<c>{token}.ics</c>) opens, or null (no such link, or revoked). Read across organisations, as the
    /// caller is a calendar server with nothing but the link; the link's staff member decides the
    /// organisation and nothing else is read.
    /// </summary>
    public async Task<string?> RenderAsync(string file, CancellationToken cancellationToken)
    {
        if (!file.EndsWith(".ics", StringComparison.Ordinal))
        {
            return null;
        }

        var hash = SecretTokens.Hash(file[..^4]);
        var staff = await db.StaffMembers.AcrossTenants().AsNoTracking().SingleOrDefaultAsync(s => s.FeedTokenHash == hash, cancellationToken);
        if (staff is null)
        {
            return null;
        }

        var showCustomers = await db.BookingSettings.AcrossTenants().AsNoTracking()
            .Where(s => s.TenantId == staff.TenantId).Select(s => s.FeedShowsCustomers).SingleOrDefaultAsync(cancellationToken);
        var since = time.GetUtcNow() - History;
        var bookings = await db.Bookings.AcrossTenants().AsNoTracking()
            .Where(b => b.TenantId == staff.TenantId && b.StaffId == staff.Id && b.EndAt >= since)
            .OrderBy(b => b.StartAt).ToListAsync(cancellationToken);

        var calendar = new Ical.Net.Calendar { ProductId = "-//Leads Peer//Bookings//EN" };
        calendar.AddProperty("X-WR-CALNAME", $"{staff.Name}: bookings");
        calendar.AddProperty("METHOD", "PUBLISH");
        foreach (var booking in bookings)
        {
            var customer = showCustomers && booking.CustomerName is { } name ? $" · {name}" : "";
            calendar.Events.Add(new CalendarEvent
            {
                Uid = $"{booking.Id:N}@bookings.leadspeer",
                Summary = $"{booking.ServiceName} ({booking.Reference}){customer}",
                Description = $"Booking {booking.Reference}: {booking.ServiceName} with {booking.StaffName}.{(booking.Status == BookingStatus.Confirmed ? "" : $" {BookingLifecycle.Words(booking.Status)}.")}",
                DtStart = new CalDateTime(booking.StartAt.UtcDateTime, "UTC"),
                DtEnd = new CalDateTime(booking.EndAt.UtcDateTime, "UTC"),
                DtStamp = new CalDateTime(booking.UpdatedAt.UtcDateTime, "UTC"),
                LastModified = new CalDateTime(booking.UpdatedAt.UtcDateTime, "UTC"),
                // Each move is a new version of the event: calendars replace the one they hold.
                Sequence = booking.Moves.Count + (booking.Status == BookingStatus.Cancelled ? 1 : 0),
                Status = booking.Status == BookingStatus.Cancelled ? "CANCELLED" : "CONFIRMED",
            });
        }

        return new CalendarSerializer().SerializeToString(calendar);
    }
}
