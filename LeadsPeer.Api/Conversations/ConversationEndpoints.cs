using LeadsPeer.Api.Idempotency;
using LeadsPeer.Core;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Conversations.Interactive;
using LeadsPeer.Core.WhatsApp.Templates;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadsPeer.Api.Conversations;

/// <summary>A message to the customer: exactly one of <c>text</c>, <c>interactive</c> (reply buttons, a list or a link button) or <c>template</c>.</summary>
public sealed record ReplyRequest(string? Text, InteractiveContent? Interactive = null, TemplateMessage? Template = null);

/// <summary>Conversations, their threads and the operators' actions; the organisation's activity.</summary>
public static class ConversationEndpoints
{
    public static IEndpointRouteBuilder MapConversationEndpoints(this IEndpointRouteBuilder routes)
    {
        var conversations = routes.MapGroup("/api/conversations").WithTags("Conversations")
            .RequiresPermission(Permissions.PolicyName(Permission.HandleConversations));
        conversations.MapGet("", ListAsync);
        conversations.MapGet("/{id:guid}", GetAsync).Refuses(FailureKind.NotFound);
        conversations.MapGet("/{id:guid}/messages", MessagesAsync).Refuses(FailureKind.NotFound);
        conversations.MapPost("/{id:guid}/messages", ReplyAsync).Refuses(FailureKind.NotFound, FailureKind.Conflict).Idempotent();
        conversations.MapPost("/{id:guid}/read", (Guid id, OperatorActions actions, CancellationToken ct) => actions.MarkReadAsync(id, ct).OkOrRefusal())
            .Refuses(FailureKind.NotFound);
        conversations.MapPost("/{id:guid}/claim", (Guid id, bool? takeOver, OperatorActions actions, CancellationToken ct) =>
            actions.ActAsync(id, takeOver == true ? ConversationAction.TakeOver : ConversationAction.Claim, ct).OkOrRefusal())
            .Refuses(FailureKind.NotFound, FailureKind.Conflict);
        MapAction(conversations, "/{id:guid}/release", ConversationAction.Release);
        MapAction(conversations, "/{id:guid}/hand-back", ConversationAction.HandBack);
        MapAction(conversations, "/{id:guid}/resolve", ConversationAction.Resolve);
        MapAction(conversations, "/{id:guid}/reopen", ConversationAction.Reopen);

        routes.MapGroup("/api/contacts").WithTags("Conversations")
            .RequiresPermission(Permissions.PolicyName(Permission.HandleConversations))
            .MapGet("/{id:guid}", (Guid id, ConversationQueries queries, CancellationToken ct) => queries.GetContactAsync(id, ct).OkOrRefusal())
            .Refuses(FailureKind.NotFound);

        routes.MapGroup("/api/audit").WithTags("Activity")
            .RequiresPermission(Permissions.PolicyName(Permission.ViewActivity))
            .MapGet("", AuditAsync);
        return routes;
    }

    /// <summary>A state-machine move: 200 with the conversation, 409 with its current state when the move is not possible.</summary>
    private static void MapAction(RouteGroupBuilder group, string pattern, ConversationAction action) =>
        group.MapPost(pattern, (Guid id, OperatorActions actions, CancellationToken ct) => actions.ActAsync(id, action, ct).OkOrRefusal())
            .Refuses(FailureKind.NotFound, FailureKind.Conflict);

    private static Task<Results<Ok<ConversationPage>, Refusal>> ListAsync(
        ConversationState? state, bool? mine, bool? unread, string? search, bool? declined, string? cursor, int? limit, ConversationQueries queries, CancellationToken cancellationToken) =>
        queries.ListAsync(new ConversationFilter(state, mine == true, unread == true, search, declined == true), cursor, limit, cancellationToken).OkOrRefusal();

    private static Task<Results<Ok<ConversationSummary>, Refusal>> GetAsync(Guid id, ConversationQueries queries, CancellationToken cancellationToken) =>
        queries.GetAsync(id, cancellationToken).OkOrRefusal();

    private static Task<Results<Ok<MessagePage>, Refusal>> MessagesAsync(Guid id, string? cursor, int? limit, ConversationQueries queries, CancellationToken cancellationToken) =>
        queries.MessagesAsync(id, cursor, limit, cancellationToken).OkOrRefusal();

    private static Task<Results<Accepted<MessageView>, Refusal>> ReplyAsync(Guid id, ReplyRequest request, OperatorActions actions, CancellationToken cancellationToken) =>
        (request switch
        {
            { Template: not null, Text: null, Interactive: null } => actions.SendTemplateAsync(id, request.Template, cancellationToken),
            { Template: not null } => Task.FromResult<Outcome<MessageView>>(UseCaseError.Invalid("template", "Send one of text, interactive or template.")),
            _ => actions.ReplyAsync(id, request.Text, cancellationToken, request.Interactive),
        }).AcceptedOrRefusal(_ => $"/api/conversations/{id}/messages");

    private static Task<Results<Ok<AuditPage>, Refusal>> AuditAsync(
        string? action, Guid? userId, DateTimeOffset? from, DateTimeOffset? to, string? cursor, int? limit, AuditQueries audit, CancellationToken cancellationToken) =>
        audit.ListAsync(action, userId, from, to, cursor, limit, cancellationToken).OkOrRefusal();
}
