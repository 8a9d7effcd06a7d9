using System.Threading.Channels;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Privacy;
using LeadsPeer.Core.Work;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

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
/// once, and a failed group can be written again one webhook at a time. A hosted service: its
/// writers run from the host's start, and at the host's stop every webhook already queued is
/// written before the process ends (the server has stopped taking requests by then).
/// </summary>
public sealed partial class WebhookWriter : BackgroundService
{
    /// <summary>Most webhooks written in one transaction.</summary>
    private const int MaxGroup = 64;

    /// <summary>Tries of a group that PostgreSQL rolled back for a deadlock.</summary>
    private const int MaxAttempts = 3;

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly IOptions<ChannelOptions> _options;
    private readonly ILogger<WebhookWriter> _logger;
    private readonly ErasureKeys _erasure;
    private readonly Channel<Pending> _queue;
    private volatile bool _stopping;

    public WebhookWriter(NpgsqlDataSource dataSource, TimeProvider time, IOptions<ChannelOptions> options, ErasureKeys erasure, ILogger<WebhookWriter> logger)
    {
        _erasure = erasure;
        _logger = logger;
        _dataSource = dataSource;
        _time = time;
        _options = options;
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(Math.Max(1, options.Value.MaxQueuedWebhooks)) { FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>One writer per core keeps the database busy without a crowd of connections contending.</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(2, Environment.ProcessorCount)).Select(_ => Task.Run(WriteAsync, CancellationToken.None)));

    /// <summary>No new webhooks; the writers finish what is queued, then end.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private sealed record Pending(WebhookPayload Payload, TaskCompletionSource<IngestResult> Stored);

    /// <summary>
    /// Queues <paramref name="payload"/>; the task completes once it is committed. Null when the
    /// queue is full: the caller answers "busy" at once rather than wait behind thousands.
    /// </summary>
    public Task<IngestResult>? TryStoreAsync(WebhookPayload payload, CancellationToken cancellationToken)
    {
        // Not cancelled with the request: once queued it is written anyway (Meta would only send it again).
        var pending = new Pending(payload, new TaskCompletionSource<IngestResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (_queue.Writer.TryWrite(pending))
        {
            return pending.Stored.Task.WaitAsync(cancellationToken);
        }

        if (_stopping)
        {
            throw new ObjectDisposedException(nameof(WebhookWriter));
        }

        LogQueueFull(_logger, _options.Value.MaxQueuedWebhooks);
        return null;
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
                return await IngestBatch.WriteAsync(_dataSource, payloads, _time.GetUtcNow(), _options.Value, _erasure);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < MaxAttempts)
            {
                // Two groups touching the same customers in opposite order: PostgreSQL rolled one
                // back whole; running it again is safe because every statement is idempotent.
                LogRetried(_logger, ex.SqlState, attempt);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook refused as busy: {Capacity} webhooks already wait for the database")]
    private static partial void LogQueueFull(ILogger logger, int capacity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group of {Count} webhooks failed ({Reason}); writing them one by one")]
    private static partial void LogGroupFailed(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook group rolled back by PostgreSQL ({SqlState}) on attempt {Attempt}; writing it again")]
    private static partial void LogRetried(ILogger logger, string sqlState, int attempt);
}
