using System.Text.RegularExpressions;
using LeadsPeer.Core;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.WhatsApp;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Api.Sandbox;

public sealed record SandboxCustomerMessage(string? Text, string? From, string? Name);

public sealed record SandboxCustomerMessageSent(string WaMessageId, string From);

public sealed record SandboxInboxMessage(string WaMessageId, string Type, string? Text, DateTimeOffset CreatedAt);

/// <summary>
/// The customer's side of a sandbox number: write to the business as a customer would (a signed
/// webhook through the real path), and read what the business sent back. The dashboard's phone
/// panel uses both; outside clients may too.
/// </summary>
public static partial class SandboxEndpoints
{
    /// <summary>The simulated customer when none is named (a number in a range no real phone has).</summary>
    public const string DefaultCustomer = "15550000001";

    public static IEndpointRouteBuilder MapSandboxEndpoints(this IEndpointRouteBuilder routes)
    {
        var sandbox = routes.MapGroup("/api/sandbox/connections/{id:guid}").WithTags("Sandbox")
            .RequireAuthorization(Permissions.PolicyName(Permission.HandleConversations));
        sandbox.MapPost("/customer-messages", SendAsCustomerAsync);
        sandbox.MapGet("/customer-inbox", InboxAsync);
        return routes;
    }

    private static async Task<IResult> SendAsCustomerAsync(
        Guid id, SandboxCustomerMessage request, LeadsPeerDbContext db, LoopbackWebhooks webhooks, TimeProvider time, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Text) || request.Text.Length > Outbox.MaxTextLength)
        {
            return UseCaseError.Invalid("text", $"Write between 1 and {Outbox.MaxTextLength} characters.").ToProblem();
        }

        var from = request.From ?? DefaultCustomer;
        if (!PhoneNumber().IsMatch(from))
        {
            return UseCaseError.Invalid("from", "The customer's number is 6 to 15 digits, without + or spaces.").ToProblem();
        }

        if (await FindSandboxAsync(db, id, cancellationToken) is not { } connection)
        {
            return UseCaseError.NotFound("No such sandbox number in this organisation.").ToProblem();
        }

        var wamid = SimulatedWebhooks.NewWamid();
        var payload = SimulatedWebhooks.CustomerText(connection, from, request.Name ?? "Sandbox customer", wamid, request.Text, time.GetUtcNow());
        using var response = await webhooks.PostAsync(payload, cancellationToken);
        return response.IsSuccessStatusCode
            ? TypedResults.Accepted((string?)null, new SandboxCustomerMessageSent(wamid, from))
            : TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway,
                title: $"The webhook endpoint refused the simulated message ({(int)response.StatusCode}).");
    }

    private static async Task<IResult> InboxAsync(Guid id, string? customer, LeadsPeerDbContext db, CancellationToken cancellationToken)
    {
        if (await FindSandboxAsync(db, id, cancellationToken) is null)
        {
            return UseCaseError.NotFound("No such sandbox number in this organisation.").ToProblem();
        }

        var recipient = customer ?? DefaultCustomer;
        var messages = await db.SandboxMessages.AsNoTracking()
            .Where(m => m.ConnectionId == id && m.Recipient == recipient)
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Take(200)
            .Select(m => new SandboxInboxMessage(m.WaMessageId, m.Type, m.Text, m.CreatedAt))
            .ToListAsync(cancellationToken);
        messages.Reverse();
        return TypedResults.Ok(messages);
    }

    private static Task<WhatsAppConnection?> FindSandboxAsync(LeadsPeerDbContext db, Guid id, CancellationToken cancellationToken) =>
        db.WhatsAppConnections.AsNoTracking().SingleOrDefaultAsync(
            c => c.Id == id && c.Kind == WhatsAppConnectionKind.Sandbox && c.Status != WhatsAppConnectionStatus.Removed, cancellationToken);

    [GeneratedRegex("^[0-9]{6,15}$")]
    private static partial Regex PhoneNumber();
}
