using System.Collections.Concurrent;
using System.Threading.Channels;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Work;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace LeadsPeer.Core.WhatsApp.Webhooks;

/// <summary>What one webhook stored: the rows that changed, for dispatch and live events.</summary>
public sealed record IngestResult(
    int UnknownNumbers,
    IReadOnlyList<(Guid TenantId, Guid ConversationId, Guid MessageId)> NewMessages,
    IReadOnlyList<(Guid TenantId, Guid ConversationId)> NewConversations,
    IReadOnlyList<(Guid TenantId, Guid ConversationId, Guid MessageId)> StatusChanges,
    IReadOnlyList<(Guid TenantId, Guid WorkId)> ReplyWork,
    IReadOnlyList<(Guid TenantId, Guid WorkId)> MediaWork);

/// <summary>
/// Stores webhooks durably, each before its 200. Every statement of every message and status goes
/// in one Npgsql batch, which PostgreSQL runs as one implicit transaction — all of it or none of
/// it. Webhooks that arrive while a batch is being written wait and are written together in the
/// next one (group commit): one round trip and one commit for many, and a few busy database
/// connections instead of one per request. Idempotent by construction (unique wamid, upserts,
/// forward-only statuses), so Meta's redeliveries and concurrent duplicates store each message
/// once, and a failed group can be written again one webhook at a time.
/// </summary>
public sealed partial class WebhookIngest : IAsyncDisposable
{
    /// <summary>Most webhooks written in one transaction.</summary>
    private const int MaxGroup = 64;

    /// <summary>Tries of a group that PostgreSQL rolled back for a deadlock.</summary>
    private const int MaxAttempts = 3;

    /// <summary>Message types whose file lives behind Graph's media endpoint.</summary>
    public static readonly IReadOnlySet<string> MediaTypes = new HashSet<string> { "image", "video", "audio", "sticker", "document" };

    // The statements are a handful of constants: convert each to positional form once.
    private static readonly ConcurrentDictionary<string, (string Sql, IReadOnlyList<string> Names)> PositionalCache = new();

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly IOptions<ChannelOptions> _options;
    private readonly ILogger<WebhookIngest> _logger;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private readonly Task[] _writers;

    public WebhookIngest(NpgsqlDataSource dataSource, TimeProvider time, IOptions<ChannelOptions> options, ILogger<WebhookIngest> logger)
    {
        _logger = logger;
        _dataSource = dataSource;
        _time = time;
        _options = options;
        // One writer per core keeps the database busy without a crowd of connections contending.
        _writers = [.. Enumerable.Range(0, Math.Max(2, Environment.ProcessorCount)).Select(_ => Task.Run(WriteAsync))];
    }

    private sealed record Pending(WebhookPayload Payload, TaskCompletionSource<IngestResult> Stored);

    private enum Output
    {
        Connection,
        Message,
        Status,
        Media,
        Ignored,
    }

    /// <summary>Stores <paramref name="payload"/>; completes once it is committed.</summary>
    public Task<IngestResult> StoreAsync(WebhookPayload payload, CancellationToken cancellationToken)
    {
        // Not cancelled with the request: once queued it is written anyway (Meta would only send it again).
        var pending = new Pending(payload, new TaskCompletionSource<IngestResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(WebhookIngest));
        }

        return pending.Stored.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteAsync()
    {
        var group = new List<Pending>(MaxGroup);
        while (await _queue.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var pending))
            {
                group.Add(pending);
            }

            if (group.Count == 0)
            {
                continue;
            }

            try
            {
                var results = await StoreWithRetryAsync([.. group.Select(p => p.Payload)]);
                for (var i = 0; i < group.Count; i++)
                {
                    group[i].Stored.TrySetResult(results[i]);
                }
            }
            catch (Exception ex) when (group.Count > 1)
            {
                // One webhook may be what failed the group: write each alone, so only it fails.
                LogGroupFailed(_logger, group.Count, ex.GetType().Name);
                foreach (var pending in group)
                {
                    await StoreAloneAsync(pending);
                }
            }
            catch (Exception ex)
            {
                group[0].Stored.TrySetException(ex);
            }
        }
    }

    private async Task StoreAloneAsync(Pending pending)
    {
        try
        {
            pending.Stored.TrySetResult((await StoreWithRetryAsync([pending.Payload]))[0]);
        }
        catch (Exception ex)
        {
            pending.Stored.TrySetException(ex);
        }
    }

    private async Task<IngestResult[]> StoreWithRetryAsync(IReadOnlyList<WebhookPayload> payloads)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StoreOnceAsync(payloads);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < MaxAttempts)
            {
                // Two groups touching the same customers in opposite order: PostgreSQL rolled one
                // back whole; running it again is safe because every statement is idempotent.
                LogRetried(_logger, ex.SqlState, attempt);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private async Task<IngestResult[]> StoreOnceAsync(IReadOnlyList<WebhookPayload> payloads)
    {
        // A group is written to the end whoever gave up waiting: its other requests need it.
        var cancellationToken = CancellationToken.None;
        var now = _time.GetUtcNow();
        var settings = _options.Value;
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
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
                        ("due_at", now + settings.ReplyQuietTime, NpgsqlDbType.TimestampTz),
                        ("arm_reply", message.Type != "reaction", NpgsqlDbType.Boolean));

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group of {Count} webhooks failed ({Reason}); writing them one by one")]
    private static partial void LogGroupFailed(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook group rolled back by PostgreSQL ({SqlState}) on attempt {Attempt}; writing it again")]
    private static partial void LogRetried(ILogger logger, string sqlState, int attempt);

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
