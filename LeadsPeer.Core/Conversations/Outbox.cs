using System.Text.Json.Nodes;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Live;
using LeadsPeer.Core.WhatsApp.Templates;
using LeadsPeer.Core.Work;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Conversations;

/// <summary>
/// The entrance to the one outbound path: an outbound message row and its send work, written in
/// one transaction, then dispatched. The Worker's sender does the rest (limits, retries, errors).
/// AI replies and operator replies both come through here.
/// </summary>
public sealed class Outbox(LeadsPeerDbContext db, WorkRows work, WorkStreams streams, HeldSends held, LiveEventPublisher live, TimeProvider time)
{
    /// <summary>WhatsApp's limit for a text message body.</summary>
    public const int MaxTextLength = 4096;

    /// <summary>
    /// Queues a free-form text. <paramref name="replyToTurn"/> (AI replies) makes the write a
    /// no-op returning null when that customer turn already has its reply. <paramref name="commitsWith"/>
    /// is as for <see cref="EnqueueInteractiveAsync"/>.
    /// </summary>
    public Task<Outcome<Message?>> EnqueueTextAsync(
        Conversation conversation, string text, MessageAuthor author, Guid? authorUserId, Guid? replyToTurn, CancellationToken cancellationToken, string? sources = null,
        Agent.TurnOutcome? outcome = null, string? outcomeReason = null, Func<CancellationToken, Task<bool>>? commitsWith = null)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Task.FromResult<Outcome<Message?>>(UseCaseError.Invalid("text", "A message needs some text."));
        }

        if (text.Length > MaxTextLength)
        {
            return Task.FromResult<Outcome<Message?>>(UseCaseError.Invalid("text", $"WhatsApp allows at most {MaxTextLength} characters in a message."));
        }

        var payload = new JsonObject { ["type"] = "text", ["text"] = new JsonObject { ["preview_url"] = false, ["body"] = text } };
        return EnqueueAsync(conversation, "text", text, payload, author, authorUserId, replyToTurn, askedBy: null, sources, cancellationToken,
            outcome: outcome, outcomeReason: outcomeReason, commitsWith: commitsWith);
    }

    /// <summary>
    /// Queues reply buttons, a list or a link button, checked against Meta's limits before
    /// anything is stored. <paramref name="askedBy"/> names the component (a guided flow) that a
    /// customer's tap on this message is routed to (<see cref="Interactive.TapRouter"/>); null when
    /// the taps are words for the agent like any other.
    /// </summary>
    /// <remarks>
    /// <paramref name="commitsWith"/> is a write that must commit with the message or not at all
    /// (a reminder marked sent): it runs inside the message's transaction, and when it answers
    /// false (another run got there first) nothing is stored and null is returned.
    /// </remarks>
    public Task<Outcome<Message?>> EnqueueInteractiveAsync(
        Conversation conversation, Interactive.InteractiveContent content, MessageAuthor author, Guid? authorUserId, Guid? replyToTurn, string? askedBy, CancellationToken cancellationToken,
        Agent.TurnOutcome? outcome = null, string? outcomeReason = null, Func<CancellationToken, Task<bool>>? commitsWith = null)
    {
        if (Interactive.InteractiveMessages.Validate(content) is { } errors)
        {
            return Task.FromResult<Outcome<Message?>>(new UseCaseError(FailureKind.Invalid, "The interactive message breaks WhatsApp's limits.", errors));
        }

        return EnqueueAsync(conversation, "interactive", content.Body, Interactive.InteractiveMessages.ToGraph(content), author, authorUserId, replyToTurn, askedBy, sources: null, cancellationToken,
            outcome: outcome, outcomeReason: outcomeReason, commitsWith: commitsWith);
    }

    /// <summary>
    /// Queues one of the number's templates — the only message allowed outside the 24-hour window,
    /// and one that does not open it (only the customer writing does). Who may receive it is
    /// <see cref="TemplatePolicy"/>'s rule (409 with the reason); the values are checked against
    /// the template before Meta sees them (400 naming the field). The stored text is the template
    /// filled in, so the thread reads as the customer's phone shows it.
    /// </summary>
    public async Task<Outcome<Message?>> EnqueueTemplateAsync(
        Conversation conversation, TemplateMessage request, TemplateSender sender, MessageAuthor author, Guid? authorUserId, string? askedBy, CancellationToken cancellationToken)
    {
        var (prepared, refusal) = await PrepareTemplateAsync(conversation, request, sender, cancellationToken);
        return prepared is null ? refusal! : await EnqueueTemplateAsync(conversation, prepared, author, authorUserId, askedBy, cancellationToken);
    }

    /// <summary>
    /// Queues a template <see cref="PrepareTemplateAsync"/> checked, for a caller that acts between
    /// the check and the send (an operator takes the conversation only once the template passed).
    /// The sender checks the customer again when it sends.
    /// </summary>
    public Task<Outcome<Message?>> EnqueueTemplateAsync(
        Conversation conversation, PreparedTemplate prepared, MessageAuthor author, Guid? authorUserId, string? askedBy, CancellationToken cancellationToken,
        Func<CancellationToken, Task<bool>>? commitsWith = null) =>
        EnqueueAsync(conversation, "template", prepared.Text, prepared.Payload, author, authorUserId, replyToTurn: null, askedBy, sources: null, cancellationToken, windowApplies: false,
            commitsWith: commitsWith);

    /// <summary>The template checked for this conversation: the policy's refusal, values that do not fit, or the Graph message and its text.</summary>
    public async Task<(PreparedTemplate? Prepared, UseCaseError? Refusal)> PrepareTemplateAsync(
        Conversation conversation, TemplateMessage request, TemplateSender sender, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            return (null, UseCaseError.Invalid("template.name", "Name the template to send."));
        }

        var candidates = await db.MessageTemplates.AsNoTracking()
            .Where(t => t.ConnectionId == conversation.ConnectionId && t.Name == request.Name).ToListAsync(cancellationToken);
        var template = request.Language is { } language
            ? candidates.FirstOrDefault(t => t.Language == language)
            : candidates.Count == 1 ? candidates[0] : null;
        if (template is null)
        {
            return (null, candidates.Count > 1 && request.Language is null
                ? UseCaseError.Invalid("template.language", $"'{request.Name}' exists in {string.Join(", ", candidates.Select(t => t.Language))}: name the language.")
                : UseCaseError.Invalid("template.name", $"This number has no template '{request.Name}'{(request.Language is null ? "" : $" in {request.Language}")}. Sync the templates if it was made in WhatsApp Manager."));
        }

        var contact = await db.Contacts.AsNoTracking().SingleAsync(c => c.Id == conversation.ContactId, cancellationToken);
        if (TemplatePolicy.Refusal(contact, conversation, template, sender) is { } refusal)
        {
            return (null, UseCaseError.Conflict(refusal));
        }

        var (prepared, errors) = TemplateSending.Prepare(template, request);
        return prepared is null
            ? (null, new UseCaseError(FailureKind.Invalid, $"The values do not fit the template '{template.Name}'.", errors))
            : (prepared, null);
    }

    private async Task<Outcome<Message?>> EnqueueAsync(
        Conversation conversation, string type, string? text, JsonObject payload, MessageAuthor author, Guid? authorUserId, Guid? replyToTurn,
        string? askedBy, string? sources, CancellationToken cancellationToken, bool windowApplies = true,
        Agent.TurnOutcome? outcome = null, string? outcomeReason = null, Func<CancellationToken, Task<bool>>? commitsWith = null)
    {
        var now = time.GetUtcNow();
        if (windowApplies && !Window.IsOpen(conversation, now))
        {
            return UseCaseError.Conflict(Window.ClosedReason);
        }

        var message = new Message
        {
            TenantId = conversation.TenantId,
            ConversationId = conversation.Id,
            Direction = MessageDirection.Outbound,
            Type = type,
            Text = text,
            Payload = payload.ToJsonString(),
            Status = MessageStatus.Pending,
            Author = author,
            AuthorUserId = authorUserId,
            ReplyToTurn = replyToTurn,
            AskedBy = askedBy,
            Sources = sources,
            Outcome = outcome,
            OutcomeReason = outcomeReason is { Length: > 500 } ? outcomeReason[..500] : outcomeReason,
            CreatedAt = now,
            StatusUpdatedAt = now,
        };
        db.Messages.Add(message);
        Guid? workId;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // The AI speaks only while the conversation is its own. The row lock orders this write
            // with an operator's claim (an update of the same row): whichever commits first wins.
            if (author == MessageAuthor.Agent && !ConversationStateMachine.AiMaySpeak(await LockedStateAsync(conversation, cancellationToken)))
            {
                db.ChangeTracker.Clear();
                return UseCaseError.Conflict("An operator is handling this conversation: the AI stays silent.");
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (replyToTurn is not null && StoreErrors.IsUniqueViolation(ex))
            {
                // This turn was answered by another run: at most one reply per turn.
                db.ChangeTracker.Clear();
                return (Message?)null;
            }

            if (commitsWith is not null && !await commitsWith(cancellationToken))
            {
                // What the message goes with was done by another run: neither is stored (the transaction rolls back).
                db.ChangeTracker.Clear();
                return (Message?)null;
            }

            workId = await work.ArmAsync(db, WorkRequest.Send(conversation.TenantId, message.Id, now), cancellationToken);
            await db.Conversations.Where(c => c.Id == conversation.Id)
                .ExecuteUpdateAsync(c => c.SetProperty(x => x.LastMessageAt, now), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        // Hints after the commit, sent together and waited for briefly: a hung Redis never holds (or fails) the reply.
        await RedisOutage.WaitBrieflyAsync(Task.WhenAll(
            workId is { } id && !held.TryHold(id) ? streams.DispatchAsync(WorkKind.Send, id) : Task.CompletedTask,
            live.PublishAsync(conversation.TenantId, new LiveEvent(LiveEventTypes.MessageAdded, conversation.Id, message.Id))));
        return message;
    }

    private async Task<ConversationState> LockedStateAsync(Conversation conversation, CancellationToken cancellationToken)
    {
        var state = await db.Database
            .SqlQuery<string>($"SELECT state AS \"Value\" FROM conversations WHERE id = {conversation.Id} AND tenant_id = {conversation.TenantId} FOR UPDATE")
            .SingleAsync(cancellationToken);
        return Enum.Parse<ConversationState>(state);
    }
}

/// <summary>The 24-hour customer service window: free-form messages only until it ends.</summary>
public static class Window
{
    public const string ClosedReason =
        "The 24-hour customer service window is closed: WhatsApp allows only approved templates until the customer writes again.";

    public static bool IsOpen(Conversation conversation, DateTimeOffset now) =>
        conversation.WindowExpiresAt is { } expires && now < expires;
}
