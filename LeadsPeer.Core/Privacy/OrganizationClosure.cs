using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Live;
using LeadsPeer.Core.Tenancy;
using LeadsPeer.Core.WhatsApp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Core.Privacy;

public sealed record ClosureView(bool Closing, DateTimeOffset? RequestedAt, DateTimeOffset? PurgeAt);

/// <summary>
/// The one owner of an organisation's closure: Open → Closing (an Owner asked; its numbers are
/// suspended at once, only its Owners can sign in to it, and only to cancel, export or answer
/// privacy requests) → purged by <see cref="TenantPurge"/> at <see cref="Organization.PurgeAt"/>,
/// or back to Open when an Owner cancels within the grace period.
/// </summary>
public sealed class OrganizationClosure(
    LeadsPeerDbContext db,
    CurrentMember member,
    ConnectionLifecycle connections,
    AuditLog audit,
    LiveEventPublisher live,
    IOptions<PrivacyOptions> options,
    TimeProvider time)
{
    public async Task<Outcome<ClosureView>> GetAsync(CancellationToken cancellationToken)
    {
        if (await FindAsync(cancellationToken) is not { } found)
        {
            return Refusal();
        }

        return View(found);
    }

    /// <summary>Closes the organisation once an Owner typed its name; a second request is a conflict.</summary>
    public async Task<Outcome<ClosureView>> CloseAsync(string? confirmation, CancellationToken cancellationToken)
    {
        if (await FindAsync(cancellationToken) is not { } organization)
        {
            return Refusal();
        }

        if (organization.ClosureRequestedAt is not null)
        {
            return UseCaseError.Conflict($"The organisation is already closing; its data will be deleted on {organization.PurgeAt:yyyy-MM-dd}.") with
            {
                Facts = new Dictionary<string, object?> { ["purgeAt"] = organization.PurgeAt },
            };
        }

        if (!string.Equals(confirmation?.Trim(), organization.Name, StringComparison.Ordinal))
        {
            return UseCaseError.Invalid("confirmation", $"Type the organisation's name, {organization.Name}, to confirm.");
        }

        var now = time.GetUtcNow();
        organization.ClosureRequestedAt = now;
        organization.PurgeAt = now + options.Value.ClosureGracePeriod;
        organization.ClosureRequestedBy = member.UserId;
        audit.Record("organization.close", "organization", organization.Id, $"purge on {organization.PurgeAt:yyyy-MM-dd}");
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
            await connections.SuspendAllAsync(now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await AnnounceAsync(organization.Id);
        return View(organization);
    }

    /// <summary>Cancels the closure within the grace period: the numbers work again, the team can sign in again.</summary>
    public async Task<Outcome<ClosureView>> CancelAsync(CancellationToken cancellationToken)
    {
        if (await FindAsync(cancellationToken) is not { } organization)
        {
            return Refusal();
        }

        if (organization.ClosureRequestedAt is null)
        {
            return UseCaseError.NotFound("The organisation is not closing: there is no closure to cancel.");
        }

        if (organization.PurgeAt <= time.GetUtcNow())
        {
            // The purge may be under way: a cancel now would leave a half-deleted organisation.
            return UseCaseError.Conflict("The grace period has ended: the organisation's data is being deleted.");
        }

        organization.ClosureRequestedAt = null;
        organization.PurgeAt = null;
        organization.ClosureRequestedBy = null;
        audit.Record("organization.reopen", "organization", organization.Id);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
            await connections.ResumeAllAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await AnnounceAsync(organization.Id);
        return View(organization);
    }

    private async Task<Organization?> FindAsync(CancellationToken cancellationToken) =>
        member.Can(Permission.CloseOrganization) ? await db.Organizations.SingleOrDefaultAsync(cancellationToken) : null;

    // No organisation: never one, or purged already (its people signed in to nothing). A member without the right: forbidden.
    private UseCaseError Refusal() => member.IsMember
        ? UseCaseError.Forbidden("Only an Owner can close the organisation or cancel its closure.")
        : UseCaseError.NotFound("You are signed in to no organisation you can close (it may have been deleted already).");

    private Task AnnounceAsync(Guid tenantId) =>
        RedisOutage.WaitBrieflyAsync(live.PublishAsync(tenantId, new LiveEvent(LiveEventTypes.OrganizationClosure)));

    private static ClosureView View(Organization o) => new(o.ClosureRequestedAt is not null, o.ClosureRequestedAt, o.PurgeAt);
}
