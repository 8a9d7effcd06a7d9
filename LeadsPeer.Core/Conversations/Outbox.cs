using System.Text.Json.Nodes;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Live;
using LeadsPeer.Core.Work;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Conversations;

/// <summary>
/// The entrance to the one outbound path: an outbound message row and its send work, written in
/// one transaction, then dispatched. The Worker's sender does the rest (limits, retries, errors).
/// AI replies and operator replies both come through here.
/// </summary>
public sealed class Outbox(LeadsPeerDbContext db, WorkRows work, WorkStreams streams, LiveEventPublisher live, TimeProvider time)
{
    /// <summary>WhatsApp's limit for a text message body.</summary>
    public const int MaxTextLength = 4096;

    /// <summary>
    /// Queues a free-form text. <paramref name="replyToTurn"/> (AI replies) makes the write a
    /// no-op returning null when that customer turn already has its reply.
    /// </summary>
    public Task<Outcome<Message?>> EnqueueTextAsync(
        Conversation conversation, string text, MessageAuthor author, Guid? authorUserId, Guid? replyToTurn, CancellationToken cancellationToken, string? sources = null)
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
        return EnqueueAsync(conversation, "text", text, payload, author, authorUserId, replyToTurn, askedBy: null, sources, cancellationToken);
    }

    /// <summary>
    /// Queues reply buttons, a list or a link button, checked against Meta's limits before
    /// anything is stored. <paramref name="askedBy"/> names the component (a guided flow) that a
    /// customer's tap on this message is routed to (<see cref="Interactive.TapRouter"/>); null when
    /// the taps are words for the agent like any other.
    /// </summary>
    public Task<Outcome<Message?>> EnqueueInteractiveAsync(
        Conversation conversation, Interactive.InteractiveContent content, MessageAuthor author, Guid? authorUserId, Guid? replyToTurn, string? askedBy, CancellationToken cancellationToken)
    {
        if (Interactive.InteractiveMessages.Validate(content) is { } errors)
        {
            return Task.FromResult<Outcome<Message?>>(new UseCaseError(FailureKind.Invalid, "The interactive message breaks WhatsApp's limits.", errors));
        }

        return EnqueueAsync(conversation, "interactive", content.Body, Interactive.InteractiveMessages.ToGraph(content), author, authorUserId, replyToTurn, askedBy, sources: null, cancellationToken);
    }

    private async Task<Outcome<Message?>> EnqueueAsync(
        Conversation conversation, string type, string? text, JsonObject payload, MessageAuthor author, Guid? authorUserId, Guid? replyToTurn,
        string? askedBy, string? sources, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!Window.IsOpen(conversation, now))
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

            workId = await work.ArmAsync(db, WorkRequest.Send(conversation.TenantId, message.Id, now), cancellationToken);
            await db.Conversations.Where(c => c.Id == conversation.Id)
                .ExecuteUpdateAsync(c => c.SetProperty(x => x.LastMessageAt, now), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        // Hints after the commit, sent together and waited for briefly: a hung Redis never holds (or fails) the reply.
        await RedisOutage.WaitBrieflyAsync(Task.WhenAll(
            workId is { } id ? streams.DispatchAsync(WorkKind.Send, id) : Task.CompletedTask,
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
