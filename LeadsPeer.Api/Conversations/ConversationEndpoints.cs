using LeadsPeer.Core;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Conversations;

namespace LeadsPeer.Api.Conversations;

public sealed record ReplyRequest(string? Text);

/// <summary>Conversations, their threads and the operators' actions; the organisation's activity.</summary>
public static class ConversationEndpoints
{
    public static IEndpointRouteBuilder MapConversationEndpoints(this IEndpointRouteBuilder routes)
    {
        var conversations = routes.MapGroup("/api/conversations").WithTags("Conversations")
            .RequireAuthorization(Permissions.PolicyName(Permission.HandleConversations));
        conversations.MapGet("", ListAsync);
        conversations.MapGet("/{id:guid}", GetAsync);
        conversations.MapGet("/{id:guid}/messages", MessagesAsync);
        conversations.MapPost("/{id:guid}/messages", ReplyAsync);
        conversations.MapPost("/{id:guid}/read", (Guid id, ConversationService service, CancellationToken ct) => Answer(service.MarkReadAsync(id, ct)));
        conversations.MapPost("/{id:guid}/claim", (Guid id, bool? takeOver, ConversationService service, CancellationToken ct) =>
            Answer(takeOver == true ? service.TakeOverAsync(id, ct) : service.ClaimAsync(id, ct)));
        conversations.MapPost("/{id:guid}/release", (Guid id, ConversationService service, CancellationToken ct) => Answer(service.ReleaseAsync(id, ct)));
        conversations.MapPost("/{id:guid}/hand-back", (Guid id, ConversationService service, CancellationToken ct) => Answer(service.HandBackAsync(id, ct)));
        conversations.MapPost("/{id:guid}/resolve", (Guid id, ConversationService service, CancellationToken ct) => Answer(service.ResolveAsync(id, ct)));
        conversations.MapPost("/{id:guid}/reopen", (Guid id, ConversationService service, CancellationToken ct) => Answer(service.ReopenAsync(id, ct)));

        routes.MapGet("/api/contacts/{id:guid}", ContactAsync).WithTags("Conversations")
            .RequireAuthorization(Permissions.PolicyName(Permission.HandleConversations));

        routes.MapGet("/api/audit", AuditAsync).WithTags("Activity")
            .RequireAuthorization(Permissions.PolicyName(Permission.ViewActivity));
        return routes;
    }

    private static async Task<IResult> ListAsync(
        ConversationState? state, bool? mine, bool? unread, string? search, string? cursor, int? limit, ConversationService service, CancellationToken cancellationToken)
    {
        var outcome = await service.ListAsync(new ConversationFilter(state, mine == true, unread == true, search), cursor, limit, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : outcome.Error!.ToProblem();
    }

    private static Task<IResult> GetAsync(Guid id, ConversationService service, CancellationToken cancellationToken) =>
        Answer(service.GetAsync(id, cancellationToken));

    private static async Task<IResult> MessagesAsync(Guid id, string? cursor, int? limit, ConversationService service, CancellationToken cancellationToken)
    {
        var outcome = await service.MessagesAsync(id, cursor, limit, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : outcome.Error!.ToProblem();
    }

    private static async Task<IResult> ReplyAsync(Guid id, ReplyRequest request, ConversationService service, CancellationToken cancellationToken)
    {
        var outcome = await service.ReplyAsync(id, request.Text, cancellationToken);
        return outcome.Succeeded
            ? TypedResults.Accepted($"/api/conversations/{id}/messages", outcome.Value)
            : outcome.Error!.ToProblem();
    }

    private static async Task<IResult> ContactAsync(Guid id, ConversationService service, CancellationToken cancellationToken)
    {
        var outcome = await service.GetContactAsync(id, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : outcome.Error!.ToProblem();
    }

    private static async Task<IResult> AuditAsync(
        string? action, Guid? userId, DateTimeOffset? from, DateTimeOffset? to, string? cursor, int? limit, AuditQueries audit, CancellationToken cancellationToken)
    {
        var outcome = await audit.ListAsync(action, userId, from, to, cursor, limit, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : outcome.Error!.ToProblem();
    }

    private static async Task<IResult> Answer(Task<Outcome<ConversationSummary>> action)
    {
        var outcome = await action;
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : outcome.Error!.ToProblem();
    }
}
