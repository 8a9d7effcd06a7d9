using LeadsPeer.Api.Idempotency;
using LeadsPeer.Core;
using LeadsPeer.Core.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Core.WhatsApp.Sandbox;

namespace LeadsPeer.Api.Sandbox;

/// <summary>
/// A text, a tap (<c>replyId</c>: a button's or row's id; <c>contextId</c>: the wamid of the message
/// tapped, by default the latest that offered it), or a cart sent from the business's catalog
/// (<c>cart</c>: SKUs and quantities, delivered as Meta's <c>order</c> message).
/// </summary>
public sealed record SandboxCustomerMessage(string? Text, string? From, string? Name, string? ReplyId = null, string? ContextId = null, IReadOnlyList<SandboxCartItem>? Cart = null);

/// <summary>The sandbox number's customer service window, in seconds (10 to 86,400).</summary>
public sealed record SandboxWindowRequest(int Seconds);

/// <summary>
/// The customer's side of a sandbox number over HTTP (<see cref="SandboxPhone"/>): write to the
/// business as a customer would, and read what the business sent back. The dashboard's phone
/// panel calls the same service in process.
/// </summary>
public static class SandboxEndpoints
{
    public static IEndpointRouteBuilder MapSandboxEndpoints(this IEndpointRouteBuilder routes)
    {
        var sandbox = routes.MapGroup("/api/sandbox/connections/{id:guid}").WithTags("Sandbox")
            .RequiresPermission(Permissions.PolicyName(Permission.HandleConversations));
        sandbox.MapPost("/customer-messages", SendAsCustomerAsync).Refuses(FailureKind.NotFound, FailureKind.Conflict, FailureKind.Upstream).Idempotent()
            .RequireRateLimiting(RateLimits.RateLimitExtensions.Sandbox);
        sandbox.MapGet("/customer-inbox", InboxAsync).Refuses(FailureKind.NotFound);
        // The business's products as the customer's WhatsApp shows its catalog: what a cart can hold.
        sandbox.MapGet("/catalog", (Guid id, SandboxPhone phone, CancellationToken ct) => phone.CatalogAsync(id, null, ct).OkOrRefusal())
            .Refuses(FailureKind.NotFound, FailureKind.Conflict);
        // Shorten the 24-hour window to try what happens once it closes (the composer offers templates).
        sandbox.MapPut("/service-window", (Guid id, SandboxWindowRequest request, ConnectionService connections, CancellationToken ct) =>
            connections.SetSandboxWindowAsync(id, TimeSpan.FromSeconds(request.Seconds), ct).OkOrRefusal()).Refuses(FailureKind.NotFound);
        return routes;
    }

    private static Task<Results<Accepted<SandboxCustomerMessageSent>, Refusal>> SendAsCustomerAsync(
        Guid id, SandboxCustomerMessage request, SandboxPhone phone, CancellationToken cancellationToken) =>
        (request.Cart is null
            ? phone.SendAsCustomerAsync(id, request.Text, request.From, request.Name, cancellationToken, request.ReplyId, request.ContextId)
            : request.Text is not null || request.ReplyId is not null
                ? Task.FromResult<Outcome<SandboxCustomerMessageSent>>(UseCaseError.Invalid("cart", "A customer sends a text, a tap or a cart: one at a time."))
                : phone.SendCartAsCustomerAsync(id, request.Cart, request.From, request.Name, cancellationToken)).AcceptedOrRefusal(_ => null);

    private static Task<Results<Ok<IReadOnlyList<SandboxInboxMessage>>, Refusal>> InboxAsync(Guid id, string? customer, SandboxPhone phone, CancellationToken cancellationToken) =>
        phone.InboxAsync(id, customer, cancellationToken).OkOrRefusal();
}
