namespace LeadsPeer.Core.Conversations;

public sealed record ConversationSummary(
    Guid Id,
    Guid ContactId,
    string? ContactName,
    string? ContactWaId,
    ConversationState State,
    Guid? AssignedUserId,
    string? HandoffReason,
    DateTimeOffset? WaitingSince,
    DateTimeOffset? LastInboundAt,
    DateTimeOffset? LastMessageAt,
    DateTimeOffset? WindowExpiresAt,
    int UnreadCount,
    MessagePreview? LastMessage = null);

/// <summary>The latest message of a conversation, as an inbox row shows it.</summary>
public sealed record MessagePreview(MessageDirection Direction, MessageAuthor Author, string Type, string? Text);

/// <param name="Name">What the team sees: the name the team set, else the customer's WhatsApp profile name.</param>
public sealed record ContactView(
    Guid Id, string? Name, string? WaId, string? UserId, DateTimeOffset? OptedOutAt, DateTimeOffset CreatedAt,
    string? ProfileName = null, string? DisplayName = null, DateTimeOffset? RestrictedAt = null)
{
    public static ContactView Of(Contact k) =>
        new(k.Id, k.DisplayName ?? k.ProfileName, k.WaId, k.UserId, k.OptedOutAt, k.CreatedAt, k.ProfileName, k.DisplayName, k.RestrictedAt);
}

public sealed record ConversationPage(IReadOnlyList<ConversationSummary> Items, string? NextCursor);

/// <summary>Filters of the conversation list; all optional. <c>Declined</c>: conversations where the AI turned a request away as outside the business.</summary>
public sealed record ConversationFilter(ConversationState? State = null, bool Mine = false, bool Unread = false, string? Search = null, bool Declined = false);

public sealed record MessageView(
    Guid Id,
    MessageDirection Direction,
    MessageAuthor Author,
    string Type,
    string? Text,
    MessageStatus Status,
    int? ErrorCode,
    string? ErrorTitle,
    DateTimeOffset CreatedAt,
    IReadOnlyList<SourceSnapshot>? Sources = null,
    IReadOnlyList<Interactive.Choice>? Choices = null,
    TappedChoice? Tapped = null,
    Agent.TurnOutcome? Outcome = null,
    string? OutcomeReason = null);

/// <summary>A customer's tap: the choice, and the business message it answers (null when that message is not in this conversation).</summary>
public sealed record TappedChoice(string Id, string Title, Guid? AnswersMessageId);

public sealed record MessagePage(IReadOnlyList<MessageView> Items, string? NextCursor);


/// <summary>How the conversation screens and the REST API show rows.</summary>
internal static class ConversationViews
{
    public static ConversationSummary Summarize(Conversation c, Contact k, int unread) => new(
        c.Id, k.Id, k.DisplayName ?? k.ProfileName, k.WaId, c.State, c.AssignedUserId, c.HandoffReason, c.WaitingSince, c.LastInboundAt, c.LastMessageAt,
        c.WindowExpiresAt, unread);

    public static MessageView View(Message m) => View(m, Interactive.TapRouter.Read(m), answered: null);

    /// <param name="tap">The tap <paramref name="m"/> carries, read once by the caller (<see cref="Interactive.TapRouter.Read"/>).</param>
    /// <param name="answered">The business message that tap answers, when it was looked up.</param>
    public static MessageView View(Message m, (string AnsweredWamid, Interactive.Choice Choice)? tap, Guid? answered)
    {
        var choices = m.Direction == MessageDirection.Outbound && m.Type == "interactive" && m.Payload is not null
            ? Interactive.InteractiveMessages.ChoicesOf(System.Text.Json.Nodes.JsonNode.Parse(m.Payload)?.AsObject())
            : null;
        var tapped = tap is { } t ? new TappedChoice(t.Choice.Id, t.Choice.Title, answered) : null;
        return new(m.Id, m.Direction, m.Author, m.Type, m.Text, m.Status, m.ErrorCode, m.ErrorTitle, m.CreatedAt, SourceSnapshot.FromJson(m.Sources),
            choices is { Count: > 0 } ? choices : null, tapped, m.Outcome, m.OutcomeReason);
    }

    public static UseCaseError NotFound() => UseCaseError.NotFound("No such conversation in this organisation.");

    public static int? PageSize(int? limit) => limit switch
    {
        null => ConversationQueries.DefaultPageSize,
        >= 1 and <= ConversationQueries.MaxPageSize => limit,
        _ => null,
    };
}
