using System.Security.Cryptography;
using System.Text.Json.Nodes;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Live;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Core.WhatsApp.Templates;
using LeadsPeer.Core.Work;
using LeadsPeer.Worker.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace LeadsPeer.Worker.Sending;

/// <summary>
/// The one outbound path: every message the business sends (AI replies, operator replies, later
/// templates) is posted to Graph here, within Meta's limits. Graph has no idempotency key, so the
/// message is marked <see cref="MessageStatus.Sending"/> before the POST and its outcome recorded
/// right after; a message still "sending" when its work is picked up again was interrupted by a
/// crash and becomes <see cref="MessageStatus.InDoubt"/> — shown to operators, never resent
/// automatically, never dropped silently. The rules are Core's: <see cref="MessageDelivery"/>
/// moves the message, <see cref="GraphErrors"/> says what an error means; this handler orchestrates.
/// </summary>
public sealed partial class SendHandler(
    LeadsPeerDbContext db,
    MessageDelivery delivery,
    ConnectionLifecycle connections,
    GraphGateway graph,
    SendRateLimiter limiter,
    IOptions<ChannelOptions> channel,
    TimeProvider time,
    ILogger<SendHandler> logger) : IWorkHandler
{
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
            await delivery.MarkInDoubtAsync(message, cancellationToken);
            return WorkResult.Done;
        }

        if (message.Status != MessageStatus.Pending)
        {
            return WorkResult.Done;
        }

        // The conversation, its customer and its number in one round trip: every message sent reads all three.
        var parties = await db.Conversations.AsNoTracking()
            .Where(c => c.Id == message.ConversationId)
            .Join(db.Contacts, c => c.ContactId, k => k.Id, (c, k) => new { Conversation = c, Contact = k })
            .Join(db.WhatsAppConnections, x => x.Conversation.ConnectionId, w => w.Id, (x, w) => new { x.Conversation, x.Contact, Connection = w })
            .SingleAsync(cancellationToken);
        var (conversation, contact, connection) = (parties.Conversation, parties.Contact, parties.Connection);

        if (Refusal(message, conversation, contact, connection) is { } refusal)
        {
            await delivery.RefuseAsync(message, refusal, cancellationToken);
            return WorkResult.Done;
        }

        var recipient = contact.WaId ?? contact.UserId!;
        var wait = await limiter.AcquireAsync(connection.PhoneNumberId, recipient);
        if (wait > TimeSpan.Zero)
        {
            return new WorkResult.Later(time.GetUtcNow() + wait, "Paced by Meta's rate limits", CountsAsAttempt: false);
        }

        if (!await delivery.StartSendingAsync(message, cancellationToken))
        {
            return WorkResult.Done;
        }

        string wamid;
        try
        {
            wamid = await graph.For(connection).SendMessageAsync(recipient, JsonNode.Parse(message.Payload!)!.AsObject(), cancellationToken);
        }
        catch (GraphApiException ex)
        {
            return await HandleGraphErrorAsync(lease, message, conversation, connection, ex);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError)
        {
            // Nothing reached Graph: safe to try again.
            return await RetryAsync(lease, message, null, $"Graph unreachable ({ex.HttpRequestError})");
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or TimeoutException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The request left, the answer did not come: Graph may have sent it. Not resent blindly.
            LogOutcomeUnknown(logger, message.Id, ex.GetType().Name);
            await delivery.MarkInDoubtAsync(message, cancellationToken);
            return WorkResult.Done;
        }
        catch (CryptographicException)
        {
            // Nothing left: the token could not even be read.
            await delivery.ReturnToPendingAsync(message);
            await delivery.RefuseAsync(message, GraphErrors.UndecryptableToken, cancellationToken);
            return WorkResult.Done;
        }

        await delivery.RecordSentAsync(message, wamid);
        return WorkResult.Done;
    }

    /// <summary>
    /// The send is given up for good: a message caught mid-send may have reached the customer
    /// (in doubt); one never posted failed, with the reason for the operator.
    /// </summary>
    public async Task GiveUpAsync(WorkLease lease, string reason, CancellationToken cancellationToken)
    {
        var message = await db.Messages.AsNoTracking().SingleOrDefaultAsync(m => m.Id == lease.SubjectId, cancellationToken);
        if (message is null)
        {
            return;
        }

        await delivery.MarkInDoubtAsync(message, cancellationToken);
        await delivery.RefuseAsync(message, "The message could not be sent: the sender stopped before it finished several times. Send it again.", cancellationToken);
    }

    /// <summary>Why this message must not be sent now, in words for the operator; null when it may go.</summary>
    private string? Refusal(Message message, Conversation conversation, Contact contact, WhatsAppConnection connection)
    {
        if (connection.SuspendedAt is not null)
        {
            return GraphErrors.SuspendedRefusal;
        }

        if (connection.Status == WhatsAppConnectionStatus.NeedsReauthorization)
        {
            return GraphErrors.NeedsReauthorizationRefusal;
        }

        if (connection.Status != WhatsAppConnectionStatus.Active)
        {
            return GraphErrors.RemovedRefusal;
        }

        if (connection.EncryptedAccessToken is null)
        {
            return GraphErrors.NoTokenRefusal;
        }

        if (contact.WaId is null && contact.UserId is null)
        {
            return "The customer has no WhatsApp id to send to.";
        }

        // Templates are the only business-initiated messages; everything else answers the customer.
        // Checked again at send time: the customer may have written STOP since it was queued.
        var template = message.Type == "template";
        if (template && TemplatePolicy.ContactRefusal(contact, conversation) is { } refusal)
        {
            return refusal;
        }

        return !template && !Window.IsOpen(conversation, time.GetUtcNow()) ? Window.ClosedReason : null;
    }

    private async Task<WorkResult> HandleGraphErrorAsync(WorkLease lease, Message message, Conversation conversation, WhatsAppConnection connection, GraphApiException ex)
    {
        LogGraphError(logger, message.Id, ex.Code, ex.Subcode, (int)ex.Status);
        switch (GraphErrors.Meaning(ex))
        {
            case GraphErrorMeaning.TokenRejected:
                await connections.TokenRejectedAsync(connection);
                await delivery.FailAsync(message, ex.Code, GraphErrors.TokenRejectedMessage);
                return WorkResult.Done;
            case GraphErrorMeaning.WindowClosed:
                await db.Conversations.Where(c => c.Id == conversation.Id)
                    .ExecuteUpdateAsync(c => c.SetProperty(x => x.WindowExpiresAt, time.GetUtcNow()), CancellationToken.None);
                await delivery.FailAsync(message, ex.Code, Window.ClosedReason);
                return WorkResult.Done;
            case GraphErrorMeaning.Transient:
                return await RetryAsync(lease, message, ex.Code, ex.GraphMessage);
            default:
                await delivery.FailAsync(message, ex.Code, ex.GraphMessage);
                return WorkResult.Done;
        }
    }

    /// <summary>A transient failure: Graph did not take the message, so it goes back to pending and is tried again later.</summary>
    private async Task<WorkResult> RetryAsync(WorkLease lease, Message message, int? code, string reason)
    {
        if (lease.Attempts + 1 >= channel.Value.MaxSendAttempts)
        {
            await delivery.FailAsync(message, code, GraphErrors.GaveUp(reason));
            return WorkResult.Done;
        }

        await delivery.ReturnToPendingAsync(message);
        return new WorkResult.Later(time.GetUtcNow() + WorkRunner.Backoff(lease.Attempts), code is null ? reason : $"Graph error {code}", CountsAsAttempt: true);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Graph refused message {MessageId}: code {Code}, subcode {Subcode}, HTTP {Status}")]
    private static partial void LogGraphError(ILogger logger, Guid messageId, int? code, int? subcode, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId}: Graph's answer was lost ({Reason})")]
    private static partial void LogOutcomeUnknown(ILogger logger, Guid messageId, string reason);
}
