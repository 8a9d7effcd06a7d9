using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Security;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Core.Work;
using LeadsPeer.Worker.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Worker.Replies;

/// <summary>Writes the words of a reply to a customer turn.</summary>
public interface IReplyComposer
{
    Task<string?> ComposeAsync(Conversation conversation, IReadOnlyList<Message> turn, CancellationToken cancellationToken);
}

/// <summary>
/// Until the knowledge-grounded agent answers, every turn gets the same acknowledgement, so the
/// whole pipeline (turn-taking, sending, statuses) runs end to end.
/// </summary>
public sealed class AcknowledgementComposer : IReplyComposer
{
    public const string Text = "Thanks for your message! We have received it and will get back to you shortly.";

    public Task<string?> ComposeAsync(Conversation conversation, IReadOnlyList<Message> turn, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(Text);
}

/// <summary>
/// Answers a customer turn once. A turn is the customer's messages since the last reply; its
/// last message names it, and the reply row is unique on that name, so retries, redeliveries
/// and crashes cannot answer a turn twice. The AI answers only while the conversation is in
/// its hands (<see cref="ConversationState.Ai"/>) and the 24-hour window is open.
/// </summary>
public sealed partial class ReplyHandler(
    LeadsPeerDbContext db,
    IReplyComposer composer,
    Outbox outbox,
    AgentHandoff handoff,
    GraphApiClient graph,
    TokenProtector protector,
    IOptions<ChannelOptions> channel,
    TimeProvider time,
    ILogger<ReplyHandler> logger) : IWorkHandler
{
    private const int TurnLimit = 20;

    public WorkKind Kind => WorkKind.Reply;

    public async Task<WorkResult> HandleAsync(WorkLease lease, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.SingleOrDefaultAsync(c => c.Id == lease.SubjectId, cancellationToken);
        if (conversation is not { State: ConversationState.Ai })
        {
            return WorkResult.Done;
        }

        // The turn: the customer's messages since the last turn the agent answered.
        var answeredTurn = await db.Messages
            .Where(m => m.ConversationId == conversation.Id && m.ReplyToTurn != null)
            .OrderByDescending(m => m.CreatedAt)
            .Select(m => m.ReplyToTurn)
            .FirstOrDefaultAsync(cancellationToken);
        var recent = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversation.Id && m.Direction == MessageDirection.Inbound && m.Type != "reaction")
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Take(TurnLimit)
            .ToListAsync(cancellationToken);
        var answered = recent.FindIndex(m => m.Id == answeredTurn);
        var turn = answered < 0 ? recent : recent[..answered];
        if (turn.Count == 0)
        {
            return WorkResult.Done;
        }

        turn.Reverse();
        var last = turn[^1];

        var contact = await db.Contacts.AsNoTracking().SingleAsync(c => c.Id == conversation.ContactId, cancellationToken);
        if (contact.OptedOutAt is not null && channel.Value.IsOptOut(last.Text))
        {
            // "STOP" is an instruction, not a question.
            return WorkResult.Done;
        }

        if (turn.Any(m => channel.Value.AsksForPerson(m.Text)))
        {
            await handoff.ToHumanAsync(conversation.Id, "The customer asked for a person.", cancellationToken);
            return WorkResult.Done;
        }

        if (!Window.IsOpen(conversation, time.GetUtcNow()))
        {
            LogWindowClosed(logger, conversation.Id);
            return WorkResult.Done;
        }

        var connection = await db.WhatsAppConnections.AsNoTracking().SingleAsync(c => c.Id == conversation.ConnectionId, cancellationToken);
        await MarkReadAsync(connection, last, cancellationToken);
        var now = time.GetUtcNow();
        await db.Conversations.Where(c => c.Id == conversation.Id && (c.LastReadAt == null || c.LastReadAt < now))
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.LastReadAt, now), cancellationToken);

        var text = await composer.ComposeAsync(conversation, turn, cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
        {
            return WorkResult.Done;
        }

        var outcome = await outbox.EnqueueTextAsync(conversation, text, MessageAuthor.Agent, authorUserId: null, replyToTurn: last.Id, cancellationToken);
        if (!outcome.Succeeded)
        {
            LogNotQueued(logger, conversation.Id, outcome.Error!.Title);
        }

        return WorkResult.Done;
    }

    /// <summary>Blue ticks and "typing…" while the answer is prepared. Cosmetic: a failure never holds the reply back.</summary>
    private async Task MarkReadAsync(WhatsAppConnection connection, Message last, CancellationToken cancellationToken)
    {
        if (last.WaMessageId is null || connection.Status != WhatsAppConnectionStatus.Active || connection.EncryptedAccessToken is null)
        {
            return;
        }

        try
        {
            var token = protector.AccessTokenOf(connection);
            await graph.MarkReadAsync(connection.Kind, connection.PhoneNumberId, token, last.WaMessageId, typing: true, cancellationToken);
        }
        catch (Exception ex) when (ex is GraphApiException or HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException
                                       or System.Security.Cryptography.CryptographicException)
        {
            LogMarkReadFailed(logger, connection.Id, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No reply for conversation {ConversationId}: the 24-hour window is closed")]
    private static partial void LogWindowClosed(ILogger logger, Guid conversationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reply for conversation {ConversationId} not queued: {Reason}")]
    private static partial void LogNotQueued(ILogger logger, Guid conversationId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Marking a message read on connection {ConnectionId} failed ({Reason}); the reply goes on")]
    private static partial void LogMarkReadFailed(ILogger logger, Guid connectionId, string reason);
}
