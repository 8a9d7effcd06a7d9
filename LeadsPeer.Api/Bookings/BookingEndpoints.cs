using LeadsPeer.Api.Idempotency;
using LeadsPeer.Core;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Bookings;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadsPeer.Api.Bookings;

public sealed record CancelBookingRequest(string? Reason);

/// <summary>
/// Booking set-up (hours, services, staff: every member reads it, Owners and Admins change it) and
/// the bookings themselves (every member sees, makes and moves them). Times are ISO 8601 instants;
/// each answer also gives them in the business's zone.
/// </summary>
public static class BookingEndpoints
{
    public static IEndpointRouteBuilder MapBookingEndpoints(this IEndpointRouteBuilder routes)
    {
        var read = Permissions.PolicyName(Permission.HandleConversations);
        var manage = Permissions.PolicyName(Permission.ManageBookings);
        var setup = routes.MapGroup("/api/booking").WithTags("Bookings")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        setup.MapGet("/hours", async (BookingHoursService hours, CancellationToken ct) => TypedResults.Ok(await hours.GetAsync(ct))).RequireAuthorization(read);
        setup.MapPut("/hours", (BookingHoursInput input, BookingHoursService hours, CancellationToken ct) => hours.SaveAsync(input, ct).OkOrRefusal())
            .RequireAuthorization(manage).Refuses(FailureKind.Invalid)
            .WithDescription("Replaces the time zone (IANA, e.g. Asia/Karachi), the weekly hours ({\"monday\": [{\"from\": \"09:00\", \"to\": \"13:00\"}, …]}; "
                + "a day left out is closed), the special days ([{\"from\": \"2027-03-30\", \"to\": \"2027-04-01\", \"name\": \"Eid\", \"hours\": []}]: no hours is closed) "
                + "and the reference prefix.");
        setup.MapGet("/services", async (BookingSetupService service, CancellationToken ct) => TypedResults.Ok(await service.ServicesAsync(ct))).RequireAuthorization(read);
        setup.MapPost("/services", (ServiceInput input, BookingSetupService service, CancellationToken ct) =>
            service.SaveServiceAsync(null, input, ct).CreatedOrRefusal(s => $"/api/booking/services/{s.Id}"))
            .RequireAuthorization(manage).Refuses(FailureKind.Invalid, FailureKind.Conflict).Idempotent()
            .WithDescription("Adds a service: `durationMinutes`, `intervalMinutes` between offered starts (30), `bufferAfterMinutes` (0), `horizonDays` (30), "
                + "`minimumNoticeMinutes` (60), `capacity` (1), optional `price` and `currency`, and the `staffIds` who do it.");
        setup.MapPut("/services/{id:guid}", (Guid id, ServiceInput input, BookingSetupService service, CancellationToken ct) => service.SaveServiceAsync(id, input, ct).OkOrRefusal())
            .RequireAuthorization(manage).Refuses(FailureKind.Invalid, FailureKind.NotFound, FailureKind.Conflict);
        setup.MapDelete("/services/{id:guid}", (Guid id, BookingSetupService service, CancellationToken ct) => service.DeleteServiceAsync(id, ct).NoContentOrRefusal())
            .RequireAuthorization(manage).Refuses(FailureKind.NotFound, FailureKind.Conflict)
            .WithDescription("Removes a service. With upcoming confirmed bookings it is 409: move or cancel them first (or switch the service off with `active: false`).");
        setup.MapGet("/staff", async (BookingSetupService service, CancellationToken ct) => TypedResults.Ok(await service.StaffAsync(ct))).RequireAuthorization(read);
        setup.MapPost("/staff", (StaffInput input, BookingSetupService service, CancellationToken ct) =>
            service.SaveStaffAsync(null, input, ct).CreatedOrRefusal(s => $"/api/booking/staff/{s.Id}"))
            .RequireAuthorization(manage).Refuses(FailureKind.Invalid, FailureKind.Conflict).Idempotent()
            .WithDescription("Adds a staff member (or a chair, a room): their own `weeklyHours` within the opening hours (omitted: the opening hours) and `daysOff` (yyyy-MM-dd).");
        setup.MapPut("/staff/{id:guid}", (Guid id, StaffInput input, BookingSetupService service, CancellationToken ct) => service.SaveStaffAsync(id, input, ct).OkOrRefusal())
            .RequireAuthorization(manage).Refuses(FailureKind.Invalid, FailureKind.NotFound, FailureKind.Conflict);
        setup.MapDelete("/staff/{id:guid}", (Guid id, BookingSetupService service, CancellationToken ct) => service.DeleteStaffAsync(id, ct).NoContentOrRefusal())
            .RequireAuthorization(manage).Refuses(FailureKind.NotFound, FailureKind.Conflict);
        setup.MapGet("/slots", (Guid? serviceId, Guid? staffId, string? from, string? to, BookingQueries queries, CancellationToken ct) =>
            queries.SlotsAsync(serviceId, staffId, from, to, ct).OkOrRefusal())
            .RequireAuthorization(read).Refuses(FailureKind.Invalid, FailureKind.NotFound)
            .WithDescription("The free starts a customer is offered for a service (and staff member), between two dates of the business's zone "
                + "(yyyy-MM-dd, both included; default: the next 14 days), given the hours, special days, staff hours, bookings, buffers, notice and horizon.");

        var bookings = routes.MapGroup("/api/bookings").WithTags("Bookings").RequireAuthorization(read)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        bookings.MapGet("", (string? from, string? to, Guid? staffId, Guid? contactId, BookingStatus? status, BookingQueries queries, CancellationToken ct) =>
            queries.ListAsync(from, to, staffId, contactId, status, ct).OkOrRefusal())
            .Refuses(FailureKind.Invalid)
            .WithDescription("The bookings that start between two dates of the business's zone (default: the next 14 days), earliest first.");
        bookings.MapGet("/{id:guid}", (Guid id, BookingQueries queries, CancellationToken ct) => queries.GetAsync(id, ct).OkOrRefusal()).Refuses(FailureKind.NotFound);
        bookings.MapPost("", (NewBooking input, BookingBook book, BookingQueries queries, CancellationToken ct) =>
            ViewAsync(book.BookAsync(input, BookedBy.Team, conversationId: null, ct), queries, ct).CreatedOrRefusal(b => $"/api/bookings/{b.Id}"))
            .WithDescription("Books `serviceId` at `start` with `staffId` (or whoever is free) for an existing customer (`contactId`: one who has written to the business) "
                + "or a walk-in (`customerName`, told nothing on WhatsApp). A time that breaks a rule is 400 naming it; a taken time is 409 with the `nextFree` starts.")
            .Refuses(FailureKind.Invalid, FailureKind.Conflict).Idempotent();
        bookings.MapPost("/{id:guid}/cancel", (Guid id, CancelBookingRequest request, BookingBook book, BookingQueries queries, CancellationToken ct) =>
            ViewAsync(book.CancelAsync(id, request.Reason, BookedBy.Team, ct), queries, ct).OkOrRefusal())
            .Refuses(FailureKind.Invalid, FailureKind.NotFound, FailureKind.Conflict).Idempotent()
            .WithDescription("Cancels a confirmed booking with a `reason`, which the customer is told. Any other status is 409 with the current `status`.");
        bookings.MapPost("/{id:guid}/reschedule", (Guid id, BookingReschedule request, BookingBook book, BookingQueries queries, CancellationToken ct) =>
            ViewAsync(book.RescheduleAsync(id, request, BookedBy.Team, ct), queries, ct).OkOrRefusal())
            .Refuses(FailureKind.Invalid, FailureKind.NotFound, FailureKind.Conflict).Idempotent()
            .WithDescription("Moves a confirmed booking to `start` (and `staffId`); the earlier time is kept in `moves` and the customer is told. "
                + "A taken time is 409 with the `nextFree` starts.");
        bookings.MapPost("/{id:guid}/complete", (Guid id, BookingBook book, BookingQueries queries, CancellationToken ct) =>
            ViewAsync(book.CloseAsync(id, BookingStatus.Completed, ct), queries, ct).OkOrRefusal())
            .Refuses(FailureKind.NotFound, FailureKind.Conflict).Idempotent();
        bookings.MapPost("/{id:guid}/no-show", (Guid id, BookingBook book, BookingQueries queries, CancellationToken ct) =>
            ViewAsync(book.CloseAsync(id, BookingStatus.NoShow, ct), queries, ct).OkOrRefusal())
            .Refuses(FailureKind.NotFound, FailureKind.Conflict).Idempotent();
        return routes;
    }

    private static async Task<Outcome<BookingView>> ViewAsync(Task<Outcome<Booking>> action, BookingQueries queries, CancellationToken cancellationToken)
    {
        var outcome = await action;
        return outcome.Succeeded ? BookingView.Of(outcome.Value!, await queries.ZoneAsync(cancellationToken)) : outcome.Error!;
    }
}
