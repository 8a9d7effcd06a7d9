using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.WhatsApp.Sandbox;

namespace LeadsPeer.Api.Sandbox;

public sealed record SandboxCustomerMessage(string? Text, string? From, string? Name);

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
            .RequireAuthorization(Permissions.PolicyName(Permission.HandleConversations));
        sandbox.MapPost("/customer-messages", SendAsCustomerAsync);
        sandbox.MapGet("/customer-inbox", InboxAsync);
        return routes;
    }

    private static async Task<IResult> SendAsCustomerAsync(
        Guid id, SandboxCustomerMessage request, SandboxPhone phone, CancellationToken cancellationToken)
    {
        var outcome = await phone.SendAsCustomerAsync(id, request.Text, request.From, request.Name, cancellationToken);
        return outcome.Succeeded ? TypedResults.Accepted((string?)null, outcome.Value) : outcome.Error!.ToProblem();
    }

    private static async Task<IResult> InboxAsync(Guid id, string? customer, SandboxPhone phone, CancellationToken cancellationToken)
    {
        var outcome = await phone.InboxAsync(id, customer, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : outcome.Error!.ToProblem();
    }
}
