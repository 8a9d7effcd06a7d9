using System.Collections.Concurrent;
using LeadsPeer.Core.Privacy;
using NpgsqlTypes;
using Npgsql;

namespace LeadsPeer.Core.WhatsApp.Webhooks;

/// <summary>
/// One group of webhooks as one Npgsql batch: each message and status bound to its statement of
/// <see cref="IngestSql"/> (beside it, so a statement and its parameters change together), and the
/// rows they return decoded into each webhook's <see cref="IngestResult"/>.
/// </summary>
internal static class IngestBatch
{
    /// <summary>Message types whose file lives behind Graph's media endpoint.</summary>
    public static readonly IReadOnlySet<string> MediaTypes = new HashSet<string> { "image", "video", "audio", "sticker", "document" };

    // The statements are a handful of constants: convert each to positional form once.
    private static readonly ConcurrentDictionary<string, (string Sql, IReadOnlyList<string> Names)> PositionalCache = new();

    private enum Output
    {
        Connection,
        Message,
        Status,
        Media,
        Ignored,
    }

    /// <summary>Writes <paramref name="payloads"/> in one batch (one implicit transaction) and reads back what each stored.</summary>
    public static async Task<IngestResult[]> WriteAsync(NpgsqlDataSource dataSource, IReadOnlyList<WebhookPayload> payloads, DateTimeOffset now, ChannelOptions settings, ErasureKeys erasure)
    {
        // A group is written to the end whoever gave up waiting: its other requests need it.
        var cancellationToken = CancellationToken.None;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var outputs = new List<(int Payload, Output Output)>();
        var current = 0;

        void Add(string sql, Output output, params (string Name, object? Value, NpgsqlDbType Type)[] values)
        {
            var (text, names) = PositionalCache.GetOrAdd(sql, IngestSql.Positional);
            var command = new NpgsqlBatchCommand(text);
            foreach (var name in names)
            {
                var (_, value, type) = values.Single(v => v.Name == name);
                command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = type, Value = value ?? DBNull.Value });
            }

            batch.BatchCommands.Add(command);
            outputs.Add((current, output));
        }

        for (current = 0; current < payloads.Count; current++)
        {
            foreach (var change in payloads[current].Changes)
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
                    // A reaction is not a question: it does not start a turn for the agent.
                    Add(IngestSql.StoreMessage, Output.Message, pn, at, key, messageId, sentAt,
                        ("contact_id", Guid.CreateVersion7(now), NpgsqlDbType.Uuid),
                        ("wa_id", message.WaId, NpgsqlDbType.Text),
                        ("user_id", message.UserId, NpgsqlDbType.Text),
                        ("profile_name", message.ProfileName, NpgsqlDbType.Text),
                        ("conversation_id", Guid.CreateVersion7(now), NpgsqlDbType.Uuid),
                        ("wamid", message.WaMessageId, NpgsqlDbType.Text),
                        ("type", message.Type, NpgsqlDbType.Text),
                        ("text", message.Text, NpgsqlDbType.Text),
                        ("payload", message.Payload, NpgsqlDbType.Text),
                        ("work_id", Guid.CreateVersion7(now), NpgsqlDbType.Uuid),
                        ("due_at", now + settings.QuietTimeFor(message.Type), NpgsqlDbType.TimestampTz),
                        ("arm_reply", message.Type != "reaction", NpgsqlDbType.Boolean),
                        ("sandbox_window", settings.SandboxServiceWindow, NpgsqlDbType.Interval),
                        ("erased_message", erasure.MessageHashes(message.WaMessageId), NpgsqlDbType.Array | NpgsqlDbType.Bytea),
                        ("erased_customer", erasure.CustomerHashes(change.PhoneNumberId, message.CustomerKey), NpgsqlDbType.Array | NpgsqlDbType.Bytea));

                    var optOut = settings.IsOptOut(message.Text) ? true : settings.IsOptIn(message.Text) ? false : (bool?)null;
                    if (message.Type == "text" && optOut is { } isOptOut)
                    {
                        Add(IngestSql.SetOptOut, Output.Ignored, messageId, sentAt, ("opt_out", isOptOut, NpgsqlDbType.Boolean));
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
        }

        var results = payloads.Select(_ => new Collected()).ToArray();
        if (batch.BatchCommands.Count == 0)
        {
            return [.. results.Select(r => r.ToResult())];
        }

        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            foreach (var (index, output) in outputs)
            {
                var result = results[index];
                var rows = 0;
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows++;
                    switch (output)
                    {
                        case Output.Message:
                            result.Messages.Add((reader.GetGuid(1), reader.GetGuid(2), reader.GetGuid(0)));
                            if (!reader.IsDBNull(3))
                            {
                                result.Replies.Add((reader.GetGuid(1), reader.GetGuid(3)));
                            }

                            if (reader.GetBoolean(4))
                            {
                                result.Conversations.Add((reader.GetGuid(1), reader.GetGuid(2)));
                            }

                            break;
                        case Output.Status:
                            result.Statuses.Add((reader.GetGuid(1), reader.GetGuid(2), reader.GetGuid(0)));
                            break;
                        case Output.Media:
                            result.Media.Add((reader.GetGuid(1), reader.GetGuid(0)));
                            break;
                    }
                }

                if (output == Output.Connection && rows == 0)
                {
                    result.UnknownNumbers++;
                }

                await reader.NextResultAsync(cancellationToken);
            }
        }

        return [.. results.Select(r => r.ToResult())];
    }

    private sealed class Collected
    {
        public int UnknownNumbers { get; set; }
        public List<(Guid, Guid, Guid)> Messages { get; } = [];
        public List<(Guid, Guid)> Conversations { get; } = [];
        public List<(Guid, Guid, Guid)> Statuses { get; } = [];
        public List<(Guid, Guid)> Replies { get; } = [];
        public List<(Guid, Guid)> Media { get; } = [];

        public IngestResult ToResult() => new(UnknownNumbers, Messages, Conversations, Statuses, Replies, Media);
    }
}
