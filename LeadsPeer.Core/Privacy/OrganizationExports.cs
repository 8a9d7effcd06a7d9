using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Live;
using LeadsPeer.Core.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LeadsPeer.Core.Privacy;

public sealed record ExportView(Guid Id, ExportState State, int Progress, long Size, string? FailureReason, DateTimeOffset CreatedAt, DateTimeOffset? ReadyAt, DateTimeOffset? ExpiresAt);

/// <summary>The file of a ready export, handed out once.</summary>
public sealed record ExportFile(string FileName, byte[] Content);

/// <summary>
/// The one owner of <see cref="OrganizationExport"/>: Pending (an Owner asked) → Running (a
/// Worker builds it) → Ready (for <see cref="PrivacyOptions.ExportFiles"/>) → Downloaded (once;
/// the file deleted in the same statement that hands it out) or Expired (retention deletes the
/// file); or Failed. Every request and download is audited.
/// </summary>
public sealed class OrganizationExports(
    LeadsPeerDbContext db,
    CurrentMember member,
    AuditLog audit,
    WorkRows work,
    WorkStreams streams,
    LiveEventPublisher live,
    IOptions<PrivacyOptions> options,
    TimeProvider time)
{
    public async Task<Outcome<ExportView>> RequestAsync(CancellationToken cancellationToken)
    {
        if (!member.Can(Permission.ExportOrganization))
        {
            return UseCaseError.Forbidden("Only an Owner can export the organisation.");
        }

        if (await db.OrganizationExports.AnyAsync(e => e.State == ExportState.Pending || e.State == ExportState.Running, cancellationToken))
        {
            return InProgress();
        }

        var tenantId = member.OrganizationId!.Value;
        var export = db.OrganizationExports.Add(new OrganizationExport { RequestedBy = member.UserId, State = ExportState.Pending, CreatedAt = time.GetUtcNow() }).Entity;
        audit.Record("organization.export", "export", export.Id);
        Guid? workId;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            workId = await work.ArmAsync(db, WorkRequest.ExportOrganization(tenantId, export.Id, time.GetUtcNow()), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (StoreErrors.IsUniqueViolation(ex))
        {
            // Another request of the same moment won (the one-in-progress index).
            return InProgress();
        }

        await RedisOutage.WaitBrieflyAsync(workId is { } id ? streams.DispatchAsync(WorkKind.ExportOrganization, id) : Task.CompletedTask);
        return View(export);
    }

    public async Task<Outcome<IReadOnlyList<ExportView>>> ListAsync(CancellationToken cancellationToken)
    {
        if (!member.Can(Permission.ExportOrganization))
        {
            return UseCaseError.Forbidden("Only an Owner can see the organisation's exports.");
        }

        var exports = await db.OrganizationExports.AsNoTracking().OrderByDescending(e => e.CreatedAt).Take(10).ToListAsync(cancellationToken);
        return exports.Select(View).ToList();
    }

    /// <summary>The file, once: the statement that reads it deletes it. Used or expired: gone (410).</summary>
    public async Task<Outcome<ExportFile>> DownloadAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!member.Can(Permission.ExportOrganization))
        {
            return UseCaseError.Forbidden("Only an Owner can download the organisation's export.");
        }

        var export = await db.OrganizationExports.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (export is null)
        {
            return UseCaseError.NotFound("No such export in this organisation.");
        }

        var now = time.GetUtcNow();
        var content = await db.Database.SqlQueryRaw<byte[]>("""
            UPDATE organization_exports e SET content = NULL, state = 'Downloaded', downloaded_at = @now
            FROM (SELECT id, content FROM organization_exports WHERE id = @id AND tenant_id = @tenant FOR UPDATE) old
            WHERE e.id = old.id AND e.state = 'Ready' AND e.expires_at > @now
            RETURNING old.content AS "Value"
            """, new NpgsqlParameter("id", id), new NpgsqlParameter("tenant", export.TenantId), new NpgsqlParameter("now", now))
            .ToListAsync(cancellationToken);
        if (content is not [{ } file])
        {
            return export.State is ExportState.Pending or ExportState.Running
                ? UseCaseError.Conflict("The export is still being prepared.")
                : export.State == ExportState.Failed
                    ? UseCaseError.Conflict($"The export failed: {export.FailureReason}")
                    : UseCaseError.Gone("This export was downloaded already or has expired; request a new one.");
        }

        audit.Record("organization.export.download", "export", id);
        await db.SaveChangesAsync(cancellationToken);
        return new ExportFile($"leadspeer-export-{export.CreatedAt:yyyyMMdd-HHmmss}.zip", file);
    }

    /// <summary>Pending → Running for the Worker that took the work; false when there is nothing to build.</summary>
    public async Task<bool> StartAsync(Guid id, CancellationToken cancellationToken) =>
        await db.OrganizationExports.Where(e => e.Id == id && (e.State == ExportState.Pending || e.State == ExportState.Running))
            .ExecuteUpdateAsync(e => e.SetProperty(x => x.State, ExportState.Running).SetProperty(x => x.Progress, 0), cancellationToken) > 0;

    public async Task ProgressAsync(OrganizationExport export, int progress, CancellationToken cancellationToken)
    {
        await db.OrganizationExports.Where(e => e.Id == export.Id && e.State == ExportState.Running)
            .ExecuteUpdateAsync(e => e.SetProperty(x => x.Progress, progress), cancellationToken);
        await AnnounceAsync(export, ExportState.Running, progress);
    }

    /// <summary>Running → Ready with the file, for <see cref="PrivacyOptions.ExportFiles"/>.</summary>
    public async Task CompleteAsync(OrganizationExport export, byte[] content, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await db.OrganizationExports.Where(e => e.Id == export.Id && e.State == ExportState.Running)
            .ExecuteUpdateAsync(e => e
                .SetProperty(x => x.State, ExportState.Ready)
                .SetProperty(x => x.Progress, 100)
                .SetProperty(x => x.Content, content)
                .SetProperty(x => x.Size, content.LongLength)
                .SetProperty(x => x.ReadyAt, now)
                .SetProperty(x => x.ExpiresAt, now + options.Value.ExportFiles), cancellationToken);
        await AnnounceAsync(export, ExportState.Ready, 100);
    }

    public async Task FailAsync(OrganizationExport export, string reason, CancellationToken cancellationToken)
    {
        await db.OrganizationExports.Where(e => e.Id == export.Id && e.State == ExportState.Running)
            .ExecuteUpdateAsync(e => e.SetProperty(x => x.State, ExportState.Failed).SetProperty(x => x.FailureReason, reason), cancellationToken);
        await AnnounceAsync(export, ExportState.Failed, export.Progress);
    }

    private static UseCaseError InProgress() => UseCaseError.Conflict("An export is already being prepared; it will be ready in a moment.");

    private Task AnnounceAsync(OrganizationExport export, ExportState state, int progress) =>
        RedisOutage.WaitBrieflyAsync(live.PublishAsync(export.TenantId, new LiveEvent(LiveEventTypes.ExportProgress, Status: state.ToString(), Progress: progress)));

    private static ExportView View(OrganizationExport e) => new(e.Id, e.State, e.Progress, e.Size, e.FailureReason, e.CreatedAt, e.ReadyAt, e.ExpiresAt);
}
