using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Work;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace LeadsPeer.Core.WhatsApp.Webhooks;

/// <summary>What one webhook stored: the rows that changed, for dispatch and live events.</summary>
public sealed record IngestResult(
    int UnknownNumbers,
    IReadOnlyList<(Guid TenantId, Guid ConversationId, Guid MessageId)> NewMessages,
    IReadOnlyList<(Guid TenantId, Guid ConversationId, Guid MessageId)> StatusChanges,
    IReadOnlyList<(Guid TenantId, Guid WorkId)> ReplyWork,
    IReadOnlyList<(Guid TenantId, Guid WorkId)> MediaWork);

/// <summary>
/// Stores a webhook in one round trip: every statement of every message and status goes in one
/// Npgsql batch, which PostgreSQL runs as one implicit transaction — all of it or none of it.
/// Idempotent by construction (unique wamid, upserts, forward-only statuses), so Meta's
/// redeliveries and concurrent duplicates store each message once.
/// </summary>
public sealed class WebhookIngest(NpgsqlDataSource dataSource, TimeProvider time, IOptions<ChannelOptions> options)
{
    private const int MaxAttempts = 3;

    /// <summary>Message types whose file lives behind Graph's media endpoint.</summary>
    public static readonly IReadOnlySet<string> MediaTypes = new HashSet<string> { "image", "video", "audio", "sticker", "document" };

    private enum Output
    {
        Connection,
        Message,
        Status,
        Reply,
        Media,
        Ignored,
    }

    public async Task<IngestResult> StoreAsync(WebhookPayload payload, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StoreOnceAsync(payload, cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < MaxAttempts)
            {
                // Two webhooks touching the same customers in opposite order: PostgreSQL rolled one
                // back whole; running it again is safe because every statement is idempotent.
            }
        }
    }

    private async Task<IngestResult> StoreOnceAsync(WebhookPayload payload, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var settings = options.Value;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var outputs = new List<Output>();

        void Add(string sql, Output output, params (string Name, object? Value, NpgsqlDbType Type)[] values)
        {
            var (text, names) = IngestSql.Positional(sql);
            var command = new NpgsqlBatchCommand(text);
            foreach (var name in names)
            {
                var (_, value, type) = values.Single(v => v.Name == name);
                command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = type, Value = value ?? DBNull.Value });
            }

            batch.BatchCommands.Add(command);
            outputs.Add(output);
        }

        foreach (var change in payload.Changes)
        {
            var pn = ("pn", (object?)change.PhoneNumberId, NpgsqlDbType.Text);
            var at = ("now", (object?)now, NpgsqlDbType.TimestampTz);
            Add(IngestSql.FindConnection, Output.Connection, pn);
            Add(IngestSql.TouchConnection, Output.Ignored, pn, at);

            foreach (var message in change.Messages)
            {
                var messageId = ("message_id", (object?)Guid.CreateVersion7(now), NpgsqlDbType.Uuid);
                var key = ("customer_key", (object?)message.CustomerKey, NpgsqlDbType.Text);
                var sentAt = ("sent_at", (object?)message.Timestamp, NpgsqlDbType.TimestampTz);
                Add(IngestSql.UpsertContact, Output.Ignored, pn, at, key,
                    ("contact_id", Guid.CreateVersion7(now), NpgsqlDbType.Uuid),
                    ("wa_id", message.WaId, NpgsqlDbType.Text),
                    ("user_id", message.UserId, NpgsqlDbType.Text),
                    ("profile_name", message.ProfileName, NpgsqlDbType.Text));
                Add(IngestSql.InsertConversation, Output.Ignored, pn, at, key,
                    ("conversation_id", Guid.CreateVersion7(now), NpgsqlDbType.Uuid));
                Add(IngestSql.InsertMessage, Output.Message, pn, key, messageId, sentAt,
                    ("wamid", message.WaMessageId, NpgsqlDbType.Text),
                    ("type", message.Type, NpgsqlDbType.Text),
                    ("text", message.Text, NpgsqlDbType.Text),
                    ("payload", message.Payload, NpgsqlDbType.Text));
                Add(IngestSql.TouchConversation, Output.Ignored, messageId, sentAt);

                var optOut = settings.IsOptOut(message.Text) ? true : settings.IsOptIn(message.Text) ? false : (bool?)null;
                if (message.Type == "text" && optOut is { } isOptOut)
                {
                    Add(IngestSql.SetOptOut, Output.Ignored, messageId, sentAt, ("opt_out", isOptOut, NpgsqlDbType.Boolean));
                }

                // A reaction is not a question: it does not start a turn for the agent.
                if (message.Type != "reaction")
                {
                    Add(IngestSql.ArmReply, Output.Reply, messageId, at,
                        ("work_id", Guid.CreateVersion7(now), NpgsqlDbType.Uuid),
                        ("due_at", now + settings.ReplyQuietTime, NpgsqlDbType.TimestampTz));
                }

                if (settings.KeepInboundMedia && MediaTypes.Contains(message.Type))
                {
                    Add(IngestSql.ArmMediaFetch, Output.Media, messageId, at, ("work_id", Guid.CreateVersion7(now), NpgsqlDbType.Uuid));
                }
            }

            foreach (var status in change.Statuses)
            {
                var wamid = ("wamid", (object?)status.WaMessageId, NpgsqlDbType.Text);
                Add(IngestSql.LockWamid, Output.Ignored, wamid);
                Add(IngestSql.ApplyStatus, Output.Status, pn, at, wamid,
                    ("status", status.Status.ToString(), NpgsqlDbType.Text),
                    ("occurred_at", status.Timestamp, NpgsqlDbType.TimestampTz),
                    ("error_code", status.ErrorCode, NpgsqlDbType.Integer),
                    ("error_title", status.ErrorTitle is { Length: > 500 } title ? title[..500] : status.ErrorTitle, NpgsqlDbType.Text),
                    ("parked_id", Guid.CreateVersion7(now), NpgsqlDbType.Uuid));
            }
        }

        var unknownNumbers = 0;
        var messages = new List<(Guid, Guid, Guid)>();
        var statuses = new List<(Guid, Guid, Guid)>();
        var replies = new List<(Guid, Guid)>();
        var media = new List<(Guid, Guid)>();
        if (batch.BatchCommands.Count == 0)
        {
            return new IngestResult(0, messages, statuses, replies, media);
        }

        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            foreach (var output in outputs)
            {
                var rows = 0;
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows++;
                    switch (output)
                    {
                        case Output.Message:
                            messages.Add((reader.GetGuid(1), reader.GetGuid(2), reader.GetGuid(0)));
                            break;
                        case Output.Status:
                            statuses.Add((reader.GetGuid(1), reader.GetGuid(2), reader.GetGuid(0)));
                            break;
                        case Output.Reply:
                            replies.Add((reader.GetGuid(1), reader.GetGuid(0)));
                            break;
                        case Output.Media:
                            media.Add((reader.GetGuid(1), reader.GetGuid(0)));
                            break;
                    }
                }

                if (output == Output.Connection && rows == 0)
                {
                    unknownNumbers++;
                }

                await reader.NextResultAsync(cancellationToken);
            }
        }

        return new IngestResult(unknownNumbers, messages, statuses, replies, media);
    }
}
