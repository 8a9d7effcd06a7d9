using LeadsPeer.Core.Data;
using LeadsPeer.Core.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LeadsPeer.Core.Conversations;

/// <summary>
/// The one owner of an outbound message's delivery: Pending → Sending → Sent → Delivered → Read,
/// or Failed, InDoubt (a crash hid Graph's answer) or Cancelled (an operator took over before
/// the AI's reply left). Each move is one conditional update from the state it expects, so a
/// retry, a crash or a racing status webhook can never move a message backwards. The status
/// webhooks' moves are here too, as the SQL that webhook ingest runs in its own batch
/// (<see cref="ApplyStatusSql"/>, <see cref="ApplyParkedStatusesSql"/>). The sender decides
/// nothing: it asks <see cref="GraphErrors"/> what an error means and calls these moves.
/// </summary>
public sealed partial class MessageDelivery(
    LeadsPeerDbContext db, NpgsqlDataSource dataSource, LiveEventPublisher live, TimeProvider time, ILogger<MessageDelivery> logger)
{
    public const string InDoubtReason =
        "The send was interrupted before WhatsApp's answer was recorded: the customer may or may not have received it. Check with the customer before sending it again.";

    public const string CancelledReason = "Not sent: an operator took over the conversation first.";

    public const string ErasedReason = "Not sent: the customer's data is being erased.";

    /// <summary>
    /// Pending → Sending, in one update that for the AI's replies also requires that the AI may
    /// still speak on the conversation: an operator who claimed it first silences a reply not yet
    /// sent (Pending → Cancelled). False when the message must not be posted.
    /// </summary>
    public async Task<bool> StartSendingAsync(Message message, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var aiMaySpeak = db.Conversations.Where(ConversationStateMachine.AiMaySpeakOn);
        var started = await db.Messages
            .Where(m => m.Id == message.Id && m.Status == MessageStatus.Pending
                        && (m.Author != MessageAuthor.Agent || aiMaySpeak.Any(c => c.Id == m.ConversationId)))
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.Status, MessageStatus.Sending).SetProperty(x => x.StatusUpdatedAt, now), cancellationToken) > 0;
        if (!started && message.Author == MessageAuthor.Agent)
        {
            var cancelled = await db.Messages.Where(m => m.Id == message.Id && m.Status == MessageStatus.Pending)
                .ExecuteUpdateAsync(m => m
                    .SetProperty(x => x.Status, MessageStatus.Cancelled)
                    .SetProperty(x => x.ErrorTitle, CancelledReason)
                    .SetProperty(x => x.StatusUpdatedAt, now), cancellationToken);
            if (cancelled > 0)
            {
                await live.PublishAsync(message.TenantId, new LiveEvent(LiveEventTypes.MessageStatusChanged, message.ConversationId, message.Id, nameof(MessageStatus.Cancelled)));
            }
        }

        return started;
    }

    /// <summary>
    /// Pending → Cancelled for every unsent message to a customer about to be erased, so no Worker
    /// starts posting one while their rows go.
    /// </summary>
    public async Task CancelForErasureAsync(Guid contactId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await db.Messages
            .Where(m => m.Status == MessageStatus.Pending && db.Conversations.Any(c => c.Id == m.ConversationId && c.ContactId == contactId))
            .ExecuteUpdateAsync(m => m
                .SetProperty(x => x.Status, MessageStatus.Cancelled)
                .SetProperty(x => x.ErrorTitle, ErasedReason)
                .SetProperty(x => x.StatusUpdatedAt, now), cancellationToken);
    }

    /// <summary>Sending → Pending: Graph did not take it (nothing left, or a transient refusal), so it may be tried again.</summary>
    public async Task ReturnToPendingAsync(Message message)
    {
        var now = time.GetUtcNow();
        await db.Messages.Where(m => m.Id == message.Id && m.Status == MessageStatus.Sending)
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.Status, MessageStatus.Pending).SetProperty(x => x.StatusUpdatedAt, now), CancellationToken.None);
    }

    /// <summary>Pending → Failed: refused before posting (window closed, number removed, customer opted out…).</summary>
    public Task RefuseAsync(Message message, string reason, CancellationToken cancellationToken) =>
        FailAsync(message, MessageStatus.Pending, null, reason, cancellationToken);

    /// <summary>Sending → Failed: Graph refused it for good, or kept refusing it.</summary>
    public Task FailAsync(Message message, int? code, string reason) =>
        FailAsync(message, MessageStatus.Sending, code, reason, CancellationToken.None);

    /// <summary>Sending → InDoubt: the request may have reached Graph and its answer is lost. Never resent automatically.</summary>
    public async Task MarkInDoubtAsync(Message message, CancellationToken cancellationToken)
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

    /// <summary>
    /// Sending → Sent with Graph's wamid, under the wamid's lock, so a status webhook that beat
    /// this commit is parked before we look; then the best parked status for it is applied.
    /// </summary>
    public async Task RecordSentAsync(Message message, string wamid)
    {
        var cancellationToken = CancellationToken.None;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(LockWamidSql, connection, transaction))
        {
            command.Parameters.AddWithValue("wamid", wamid);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var command = new NpgsqlCommand(
            "UPDATE messages SET wa_message_id = @wamid, status = 'Sent', status_updated_at = @now WHERE id = @id AND tenant_id = @tenant_id AND status = 'Sending'",
            connection, transaction))
        {
            command.Parameters.AddWithValue("wamid", wamid);
            command.Parameters.AddWithValue("now", time.GetUtcNow());
            command.Parameters.AddWithValue("id", message.Id);
            command.Parameters.AddWithValue("tenant_id", message.TenantId);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var command = new NpgsqlCommand(ApplyParkedStatusesSql, connection, transaction))
        {
            command.Parameters.AddWithValue("wamid", wamid);
            command.Parameters.AddWithValue("tenant_id", message.TenantId);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        await live.PublishAsync(message.TenantId, new LiveEvent(LiveEventTypes.MessageStatusChanged, message.ConversationId, message.Id));
    }

    private async Task FailAsync(Message message, MessageStatus from, int? code, string reason, CancellationToken cancellationToken)
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

    // sent < delivered < read; failed is final and handled apart.
    private static string Rank(string status) =>
        $"(CASE {status} WHEN 'Sent' THEN 1 WHEN 'Delivered' THEN 2 WHEN 'Read' THEN 3 ELSE 0 END)";

    /// <summary>
    /// Serialises a status with the send that records the same wamid, so a status that beats
    /// the send's commit is parked before the send looks for parked statuses, never after.
    /// </summary>
    public const string LockWamidSql = "SELECT pg_advisory_xact_lock(hashtextextended(@wamid, 0))";

    /// <summary>
    /// A status webhook's move, for ingest's batch (<c>c</c> is the tenant of the connection the
    /// webhook names): forward only, failed is final; a status for a wamid not stored yet is parked.
    /// </summary>
    public static string ApplyStatusSql(string connectionCondition) => $"""
        WITH c AS (SELECT c.tenant_id FROM whats_app_connections c WHERE {connectionCondition}),
        updated AS (
            UPDATE messages m SET status = @status, status_updated_at = @occurred_at,
                error_code = coalesce(@error_code, m.error_code), error_title = coalesce(@error_title, m.error_title)
            FROM c WHERE m.wa_message_id = @wamid AND m.tenant_id = c.tenant_id AND m.status <> 'Failed'
                AND (@status = 'Failed' OR {Rank("m.status")} < {Rank("@status")})
            RETURNING m.id, m.tenant_id, m.conversation_id),
        parked AS (
            INSERT INTO parked_statuses (id, tenant_id, wa_message_id, status, error_code, error_title, occurred_at, created_at)
            SELECT @parked_id, c.tenant_id, @wamid, @status, @error_code, @error_title, @occurred_at, @now FROM c
            WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.wa_message_id = @wamid)
            RETURNING id)
        SELECT id, tenant_id, conversation_id FROM updated
        """;

    /// <summary>Run right after a wamid is recorded (under <see cref="LockWamidSql"/>): the best parked status wins.</summary>
    public static readonly string ApplyParkedStatusesSql = $"""
        WITH parked AS (
            DELETE FROM parked_statuses WHERE wa_message_id = @wamid AND tenant_id = @tenant_id
            RETURNING status, error_code, error_title, occurred_at),
        best AS (
            SELECT * FROM parked ORDER BY (status = 'Failed') DESC, {Rank("status")} DESC LIMIT 1)
        UPDATE messages m SET status = best.status, status_updated_at = best.occurred_at,
            error_code = coalesce(best.error_code, m.error_code), error_title = coalesce(best.error_title, m.error_title)
        FROM best
        WHERE m.wa_message_id = @wamid AND m.tenant_id = @tenant_id AND m.status <> 'Failed'
            AND (best.status = 'Failed' OR {Rank("m.status")} < {Rank("best.status")})
        RETURNING m.status
        """;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} is in doubt: a send was interrupted before its outcome was recorded")]
    private static partial void LogInDoubt(ILogger logger, Guid messageId);
}
