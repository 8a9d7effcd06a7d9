using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Live;
using LeadsPeer.Core.Security;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Core.WhatsApp.Webhooks;
using LeadsPeer.Core.Work;
using LeadsPeer.Worker.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly.Timeout;

namespace LeadsPeer.Worker.Sending;

/// <summary>
/// The one outbound path: every message the business sends (AI replies, operator replies, later
/// templates) is posted to Graph here, within Meta's limits and rules. Graph has no idempotency
/// key, so the message is marked <see cref="MessageStatus.Sending"/> before the POST and its
/// outcome recorded right after; a message still "sending" when its work is picked up again was
/// interrupted by a crash and becomes <see cref="MessageStatus.InDoubt"/> — shown to operators,
/// never resent automatically, never dropped silently.
/// </summary>
public sealed partial class SendHandler(
    LeadsPeerDbContext db,
    NpgsqlDataSource dataSource,
    GraphApiClient graph,
    TokenProtector protector,
    SendRateLimiter limiter,
    LiveEventPublisher live,
    IOptions<ChannelOptions> channel,
    TimeProvider time,
    ILogger<SendHandler> logger) : IWorkHandler
{
    public const string InDoubtReason =
        "The send was interrupted before WhatsApp's answer was recorded: the customer may or may not have received it. Check with the customer before sending it again.";

    public WorkKind Kind => WorkKind.Send;

    public async Task<WorkResult> HandleAsync(WorkLease lease, CancellationToken cancellationToken)
    {
        var message = await db.Messages.AsNoTracking()
            .SingleOrDefaultAsync(m => m.Id == lease.SubjectId && m.Direction == MessageDirection.Outbound, cancellationToken);
        if (message is null)
        {
            return WorkResult.Done;
        }

        if (message.Status == MessageStatus.Sending)
        {
            await MarkInDoubtAsync(message, cancellationToken);
            return WorkResult.Done;
        }

        if (message.Status != MessageStatus.Pending)
        {
            return WorkResult.Done;
        }

        var conversation = await db.Conversations.AsNoTracking().SingleAsync(c => c.Id == message.ConversationId, cancellationToken);
        var contact = await db.Contacts.AsNoTracking().SingleAsync(c => c.Id == conversation.ContactId, cancellationToken);
        var connection = await db.WhatsAppConnections.AsNoTracking().SingleAsync(c => c.Id == conversation.ConnectionId, cancellationToken);

        if (Refusal(message, conversation, contact, connection) is { } refusal)
        {
            await FailAsync(message, null, refusal, cancellationToken);
            return WorkResult.Done;
        }

        var recipient = contact.WaId ?? contact.UserId!;
        var wait = await limiter.AcquireAsync(connection.PhoneNumberId, recipient);
        if (wait > TimeSpan.Zero)
        {
            return new WorkResult.Later(time.GetUtcNow() + wait, "Paced by Meta's rate limits", CountsAsAttempt: false);
        }

        if (!await StartSendingAsync(message, cancellationToken))
        {
            return WorkResult.Done;
        }

        string wamid;
        try
        {
            var token = protector.AccessTokenOf(connection);
            wamid = await graph.SendMessageAsync(connection.Kind, connection.PhoneNumberId, token, recipient,
                JsonNode.Parse(message.Payload!)!.AsObject(), cancellationToken);
        }
        catch (GraphApiException ex)
        {
            return await HandleGraphErrorAsync(lease, message, conversation, connection, ex, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError)
        {
            // Nothing reached Graph: safe to try again.
            return await RetryAsync(lease, message, null, $"Graph unreachable ({ex.HttpRequestError})", cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or TimeoutException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The request left, the answer did not come: Graph may have sent it. Not resent blindly.
            LogOutcomeUnknown(logger, message.Id, ex.GetType().Name);
            await MarkInDoubtAsync(message, cancellationToken);
            return WorkResult.Done;
        }
        catch (CryptographicException)
        {
            await MoveAsync(message.Id, MessageStatus.Sending, MessageStatus.Pending, CancellationToken.None);
            await FailAsync(message, null, "The connection's access token cannot be decrypted with the configured keys: connect the number again.", cancellationToken);
            return WorkResult.Done;
        }

        await RecordSentAsync(message, wamid, CancellationToken.None);
        return WorkResult.Done;
    }

    /// <summary>Why this message must not be sent now, in words for the operator; null when it may go.</summary>
    private string? Refusal(Message message, Conversation conversation, Contact contact, WhatsAppConnection connection)
    {
        if (connection.Status == WhatsAppConnectionStatus.NeedsReauthorization)
        {
            return "Meta no longer accepts this number's access token: connect the number again (Embedded Signup) to resume sending.";
        }

        if (connection.Status != WhatsAppConnectionStatus.Active)
        {
            return "This WhatsApp number has been removed from the organisation.";
        }

        if (connection.EncryptedAccessToken is null)
        {
            return "This WhatsApp number has no access token: connect it again to send from it.";
        }

        if (contact.WaId is null && contact.UserId is null)
        {
            return "The customer has no WhatsApp id to send to.";
        }

        // Templates are the only business-initiated messages; everything else answers the customer.
        var template = message.Type == "template";
        if (template && contact.OptedOutAt is not null)
        {
            return "The customer opted out (STOP): business-initiated messages to them are refused.";
        }

        return !template && !Window.IsOpen(conversation, time.GetUtcNow()) ? Window.ClosedReason : null;
    }

    private async Task<WorkResult> HandleGraphErrorAsync(
        WorkLease lease, Message message, Conversation conversation, WhatsAppConnection connection, GraphApiException ex, CancellationToken cancellationToken)
    {
        LogGraphError(logger, message.Id, ex.Code, ex.Subcode, (int)ex.Status);
        switch (ex.Code)
        {
            case 190 or 0:
                await db.WhatsAppConnections.Where(c => c.Id == connection.Id && c.Status == WhatsAppConnectionStatus.Active)
                    .ExecuteUpdateAsync(c => c
                        .SetProperty(x => x.Status, WhatsAppConnectionStatus.NeedsReauthorization)
                        .SetProperty(x => x.StatusReason, "Meta rejected the access token (expired or revoked): connect the number again to resume sending."), CancellationToken.None);
                await live.PublishAsync(connection.TenantId, new LiveEvent(LiveEventTypes.ConnectionHealthChanged, ConnectionId: connection.Id));
                await FailFromSendingAsync(message, ex.Code, "Meta rejected the number's access token: connect the number again, then resend.");
                return WorkResult.Done;
            case 131047:
                await db.Conversations.Where(c => c.Id == conversation.Id)
                    .ExecuteUpdateAsync(c => c.SetProperty(x => x.WindowExpiresAt, time.GetUtcNow()), CancellationToken.None);
                await FailFromSendingAsync(message, ex.Code, Window.ClosedReason);
                return WorkResult.Done;
            case 130429 or 131057 or 131056 or 1 or 2 or 4 or 80007 or 131000:
                return await RetryAsync(lease, message, ex.Code, ex.GraphMessage, cancellationToken);
            case not (100 or 131026 or 131031 or 368 or 132000 or 132001) when ex.Status >= HttpStatusCode.InternalServerError:
                return await RetryAsync(lease, message, ex.Code, ex.GraphMessage, cancellationToken);
            default:
                await FailFromSendingAsync(message, ex.Code, ex.GraphMessage);
                return WorkResult.Done;
        }
    }

    /// <summary>A transient failure: Graph did not take the message, so it goes back to pending and is tried again later.</summary>
    private async Task<WorkResult> RetryAsync(WorkLease lease, Message message, int? code, string reason, CancellationToken cancellationToken)
    {
        if (lease.Attempts + 1 >= channel.Value.MaxSendAttempts)
        {
            await FailFromSendingAsync(message, code, $"WhatsApp kept refusing the message ({reason}); it was not sent.");
            return WorkResult.Done;
        }

        await MoveAsync(message.Id, MessageStatus.Sending, MessageStatus.Pending, CancellationToken.None);
        return new WorkResult.Later(time.GetUtcNow() + WorkRunner.Backoff(lease.Attempts), code is null ? reason : $"Graph error {code}", CountsAsAttempt: true);
    }

    private async Task RecordSentAsync(Message message, string wamid, CancellationToken cancellationToken)
    {
        // Under the wamid's lock, so a status webhook that beat this commit is parked before we look.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(IngestSql.LockWamid, connection, transaction))
        {
            command.Parameters.AddWithValue("wamid", wamid);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var command = new NpgsqlCommand(
            "UPDATE messages SET wa_message_id = @wamid, status = 'Sent', status_updated_at = @now WHERE id = @id AND status = 'Sending'",
            connection, transaction))
        {
            command.Parameters.AddWithValue("wamid", wamid);
            command.Parameters.AddWithValue("now", time.GetUtcNow());
            command.Parameters.AddWithValue("id", message.Id);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var command = new NpgsqlCommand(IngestSql.ApplyParkedStatuses, connection, transaction))
        {
            command.Parameters.AddWithValue("wamid", wamid);
            command.Parameters.AddWithValue("tenant_id", message.TenantId);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        await live.PublishAsync(message.TenantId, new LiveEvent(LiveEventTypes.MessageStatusChanged, message.ConversationId, message.Id));
    }

    private async Task MarkInDoubtAsync(Message message, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var changed = await db.Messages.Where(m => m.Id == message.Id && m.Status == MessageStatus.Sending)
            .ExecuteUpdateAsync(m => m
                .SetProperty(x => x.Status, MessageStatus.InDoubt)
                .SetProperty(x => x.ErrorTitle, InDoubtReason)
                .SetProperty(x => x.StatusUpdatedAt, now), cancellationToken);
        if (changed > 0)
        {
            LogInDoubt(logger, message.Id);
            await live.PublishAsync(message.TenantId, new LiveEvent(LiveEventTypes.MessageInDoubt, message.ConversationId, message.Id));
        }
    }

    private Task FailAsync(Message message, int? code, string reason, CancellationToken cancellationToken) =>
        SetFailedAsync(message, MessageStatus.Pending, code, reason, cancellationToken);

    private Task FailFromSendingAsync(Message message, int? code, string reason) =>
        SetFailedAsync(message, MessageStatus.Sending, code, reason, CancellationToken.None);

    private async Task SetFailedAsync(Message message, MessageStatus from, int? code, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var title = reason.Length > 500 ? reason[..500] : reason;
        var changed = await db.Messages.Where(m => m.Id == message.Id && m.Status == from)
            .ExecuteUpdateAsync(m => m
                .SetProperty(x => x.Status, MessageStatus.Failed)
                .SetProperty(x => x.ErrorCode, code)
                .SetProperty(x => x.ErrorTitle, title)
                .SetProperty(x => x.StatusUpdatedAt, now), cancellationToken);
        if (changed > 0)
        {
            await live.PublishAsync(message.TenantId, new LiveEvent(LiveEventTypes.MessageStatusChanged, message.ConversationId, message.Id, nameof(MessageStatus.Failed)));
        }
    }

    /// <summary>
    /// Pending → Sending, in one update that for the AI's replies also requires the conversation
    /// to still be the AI's: an operator who claimed it first silences a reply not yet sent.
    /// </summary>
    private async Task<bool> StartSendingAsync(Message message, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var started = await db.Messages
            .Where(m => m.Id == message.Id && m.Status == MessageStatus.Pending
                        && (m.Author != MessageAuthor.Agent
                            || db.Conversations.Any(c => c.Id == m.ConversationId && c.State == ConversationState.Ai)))
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.Status, MessageStatus.Sending).SetProperty(x => x.StatusUpdatedAt, now), cancellationToken) > 0;
        if (!started && message.Author == MessageAuthor.Agent)
        {
            var cancelled = await db.Messages.Where(m => m.Id == message.Id && m.Status == MessageStatus.Pending)
                .ExecuteUpdateAsync(m => m
                    .SetProperty(x => x.Status, MessageStatus.Cancelled)
                    .SetProperty(x => x.ErrorTitle, "Not sent: an operator took over the conversation first.")
                    .SetProperty(x => x.StatusUpdatedAt, now), cancellationToken);
            if (cancelled > 0)
            {
                await live.PublishAsync(message.TenantId, new LiveEvent(LiveEventTypes.MessageStatusChanged, message.ConversationId, message.Id, nameof(MessageStatus.Cancelled)));
            }
        }

        return started;
    }

    private async Task<bool> MoveAsync(Guid messageId, MessageStatus from, MessageStatus to, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return await db.Messages.Where(m => m.Id == messageId && m.Status == from)
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.Status, to).SetProperty(x => x.StatusUpdatedAt, now), cancellationToken) > 0;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Graph refused message {MessageId}: code {Code}, subcode {Subcode}, HTTP {Status}")]
    private static partial void LogGraphError(ILogger logger, Guid messageId, int? code, int? subcode, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId}: Graph's answer was lost ({Reason})")]
    private static partial void LogOutcomeUnknown(ILogger logger, Guid messageId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} is in doubt: a send was interrupted before its outcome was recorded")]
    private static partial void LogInDoubt(ILogger logger, Guid messageId);
}
