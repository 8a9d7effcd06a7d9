using LeadsPeer.Api.Idempotency;
using LeadsPeer.Core;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Orders;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadsPeer.Api.Orders;

public sealed record MoveOrderRequest(OrderStatus? Status, string? Reason);

/// <summary>The organisation's orders: every member sees them and moves them on.</summary>
public static class OrderEndpoints
{
    public static IEndpointRouteBuilder MapOrderEndpoints(this IEndpointRouteBuilder routes)
    {
        var orders = routes.MapGroup("/api/orders").WithTags("Orders")
            .RequiresPermission(Permissions.PolicyName(Permission.HandleConversations));
        orders.MapGet("", (OrderStatus? status, string? search, string? cursor, OrderQueries queries, CancellationToken ct) =>
            queries.ListAsync(status, search, cursor, ct).OkOrRefusal())
            .Refuses(FailureKind.Invalid)
            .WithDescription("Newest first, 50 a page, with the count of every status; `search` matches the reference or the customer's name.");
        orders.MapGet("/{id:guid}", (Guid id, OrderQueries queries, CancellationToken ct) => queries.GetAsync(id, ct).OkOrRefusal())
            .Refuses(FailureKind.NotFound);
        orders.MapPost("/{id:guid}/status", MoveAsync)
            .Refuses(FailureKind.Invalid, FailureKind.NotFound, FailureKind.Conflict).Idempotent()
            .WithDescription("Moves the order on (New → Confirmed → Preparing → Ready / OutForDelivery → Completed) or cancels it with a `reason`. "
                + "The customer is told. A move the order cannot make is 409 with its current `status`.");
        return routes;
    }

    private static async Task<Results<Ok<OrderView>, Refusal>> MoveAsync(
        Guid id, MoveOrderRequest request, Core.Orders.OrderBook orders, CancellationToken cancellationToken)
    {
        if (request.Status is not { } status)
        {
            return UseCaseError.Invalid("status", "Name the status to move the order to.").ToRefusal();
        }

        var moved = await orders.MoveAsync(id, status, request.Reason, cancellationToken);
        return moved.Succeeded ? TypedResults.Ok(OrderView.Of(moved.Value!)) : moved.Error!.ToRefusal();
    }
}
