using LeadsPeer.Core.Data;
using LeadsPeer.Core.Idempotency;
using LeadsPeer.Core.Knowledge;
using LeadsPeer.Core.Live;
using LeadsPeer.Core.Privacy;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LeadsPeer.Worker.Maintenance;

public sealed class HousekeepingOptions
{
    public const string Section = "Housekeeping";

    /// <summary>How often each Worker looks; every job is one conditional statement, so Workers can race freely.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A document Uploaded or Indexing this long with no work row that could still finish it is failed.</summary>
    public TimeSpan StuckDocumentAfter { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// What no request and no work row will ever come back for: documents stranded before indexing
/// finished (their work row gone or finished without them), failed with a reason and their bytes
/// purged; expired idempotency keys; retention (<see cref="Retention"/>) and the purge of closed
/// organisations (<see cref="TenantPurge"/>).
/// </summary>
public sealed partial class Housekeeping(
    NpgsqlDataSource dataSource,
    IdempotencyKeys idempotencyKeys,
    Retention retention,
    TenantPurge purge,
    LiveEventPublisher live,
    IOptions<HousekeepingOptions> options,
    TimeProvider time,
    ILogger<Housekeeping> logger) : BackgroundService
{
    public const string StuckReason = "Indexing this file stopped and did not resume. Upload it again; if it keeps happening, contact support.";
    private const int BatchSize = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (StoreErrors.IsUnreachable(ex))
            {
                LogDatabaseAway(logger, StoreErrors.OneLine(ex));
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var failed = await FailStuckDocumentsAsync(cancellationToken);
        if (failed.Count > 0)
        {
            LogStuckDocuments(logger, failed.Count);
            await live.PublishAsync(failed.Select(d => (d.TenantId, new LiveEvent(
                LiveEventTypes.DocumentProgress, DocumentId: d.DocumentId, Status: nameof(KnowledgeDocumentState.Failed)))));
        }

        var purged = await idempotencyKeys.PurgeExpiredAsync(BatchSize, cancellationToken);
        if (purged > 0)
        {
            LogKeysPurged(logger, purged);
        }

        // What we keep for a limited time, and closed organisations whose grace period ended.
        var now = time.GetUtcNow();
        await retention.RunAsync(now, cancellationToken);
        await purge.RunAsync(now, cancellationToken);
    }

    /// <summary>
    /// One statement, across organisations: no chunk is left of a stranded document (nothing
    /// half-indexed), its raw bytes go like an indexed file's, and a run that is still live (its
    /// work row pending or running) is never touched.
    /// </summary>
    private async Task<IReadOnlyList<(Guid TenantId, Guid DocumentId)>> FailStuckDocumentsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var fail = dataSource.CreateCommand("""
            WITH stuck AS (
                SELECT d.id, d.tenant_id FROM knowledge_documents d
                WHERE d.state IN ('Uploaded', 'Indexing') AND d.updated_at < @before
                  AND NOT EXISTS (SELECT 1 FROM work_items w
                                  WHERE w.kind = 'IndexDocument' AND w.subject_id = d.id AND w.state IN ('Pending', 'Running'))
                ORDER BY d.updated_at LIMIT @batch
                FOR UPDATE OF d SKIP LOCKED),
            chunks AS (
                DELETE FROM knowledge_chunks c USING stuck WHERE c.tenant_id = stuck.tenant_id AND c.document_id = stuck.id)
            UPDATE knowledge_documents d
            SET state = 'Failed', raw_content = NULL, progress = 0, chunk_count = 0, failure_reason = @reason, updated_at = @now
            FROM stuck WHERE d.id = stuck.id
            RETURNING d.tenant_id, d.id
            """);
        fail.Parameters.AddWithValue("before", now - options.Value.StuckDocumentAfter);
        fail.Parameters.AddWithValue("batch", BatchSize);
        fail.Parameters.AddWithValue("reason", StuckReason);
        fail.Parameters.AddWithValue("now", now);
        var failed = new List<(Guid, Guid)>();
        await using var reader = await fail.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            failed.Add((reader.GetGuid(0), reader.GetGuid(1)));
        }

        return failed;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} document(s) stranded before indexing finished were failed")]
    private static partial void LogStuckDocuments(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Count} expired idempotency key(s) purged")]
    private static partial void LogKeysPurged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Housekeeping skipped, PostgreSQL unreachable: {Reason}")]
    private static partial void LogDatabaseAway(ILogger logger, string reason);
}
