using LeadsPeer.Core.Data;
using LeadsPeer.Core.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Accounts;

/// <summary>
/// Sets the scope's tenant from the signed-in user: their current organisation, provided they
/// still belong to it. This is one of the few places that reads across tenants, by user id.
/// </summary>
public sealed class MemberResolver(LeadsPeerDbContext db, TenantContext tenant, CurrentMember member)
{
    /// <summary>Why this person may not sign in now, or null: every organisation they belong to is closing and they own none of them.</summary>
    public const string ClosingRefusal = "Your organisation is closing: only its Owners can sign in until it is deleted.";

    /// <summary>
    /// False when every organisation the person belongs to is closing and they are an Owner of
    /// none of them: there is nothing they may still reach. (Someone who belongs to no
    /// organisation may sign in, to accept an invitation or start one.)
    /// </summary>
    public async Task<bool> MaySignInAsync(Guid userId, CancellationToken cancellationToken)
    {
        var memberships = await db.Memberships.AcrossTenants().AsNoTracking()
            .Where(m => m.UserId == userId)
            .Select(m => new { m.Role, Closing = db.Organizations.AcrossTenants().Any(o => o.Id == m.TenantId && o.ClosureRequestedAt != null) })
            .ToListAsync(cancellationToken);
        return memberships.Count == 0 || memberships.Any(m => !m.Closing || m.Role == OrganizationRole.Owner);
    }

    public async Task ResolveAsync(Guid userId, CancellationToken cancellationToken)
    {
        var membership = await db.Memberships.AcrossTenants().AsNoTracking()
            .Where(m => m.UserId == userId && db.Users.Any(u => u.Id == userId && u.CurrentOrganizationId == m.TenantId))
            .Select(m => new
            {
                m.TenantId,
                m.Role,
                Closing = db.Organizations.AcrossTenants().Any(o => o.Id == m.TenantId && o.ClosureRequestedAt != null),
            })
            .SingleOrDefaultAsync(cancellationToken);

        // A closing organisation is reachable by its Owners only (to cancel, export, answer
        // privacy requests); its Admins and Operators are signed in to no organisation.
        if (membership is not null && (!membership.Closing || membership.Role == OrganizationRole.Owner))
        {
            tenant.Set(membership.TenantId);
            member.Set(userId, membership.TenantId, membership.Role, membership.Closing);
        }
        else
        {
            member.Set(userId, null, null);
        }
    }
}
