using LeadsPeer.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Accounts;

public sealed record OrganizationMembership(Guid OrganizationId, string OrganizationName, OrganizationRole Role);

public sealed record Profile(
    Guid UserId,
    string? Name,
    string? Email,
    OrganizationMembership? CurrentOrganization,
    IReadOnlyList<OrganizationMembership> Memberships,
    IReadOnlyCollection<Permission> Permissions);

/// <summary>Who the signed-in person is, where they belong, and what they may do in the current organisation.</summary>
public sealed class ProfileService(LeadsPeerDbContext db, CurrentMember member)
{
    /// <summary>Makes <paramref name="organizationId"/> the organisation the person acts for; they must belong to it.</summary>
    public async Task<Outcome<bool>> SwitchOrganizationAsync(Guid userId, Guid organizationId, CancellationToken cancellationToken)
    {
        var isMember = await db.Memberships.AcrossTenants()
            .AnyAsync(m => m.UserId == userId && m.TenantId == organizationId, cancellationToken);
        if (!isMember)
        {
            return UseCaseError.NotFound("You are not a member of that organisation.");
        }

        await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.CurrentOrganizationId, organizationId), cancellationToken);
        return true;
    }

    public async Task<Profile?> GetAsync(Guid userId, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new { u.Id, u.DisplayName, u.Email })
            .SingleOrDefaultAsync(cancellationToken);
        if (user is null)
        {
            return null;
        }

        // A person's own memberships span organisations: read them by user id, across tenants.
        var roles = await db.Memberships.AcrossTenants().AsNoTracking()
            .Where(m => m.UserId == userId)
            .Select(m => new { m.TenantId, m.Role })
            .ToListAsync(cancellationToken);
        var organizationIds = roles.Select(r => r.TenantId).ToList();
        var names = await db.Organizations.AcrossTenants().AsNoTracking()
            .Where(o => organizationIds.Contains(o.Id))
            .ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
        var memberships = roles
            .Select(r => new OrganizationMembership(r.TenantId, names[r.TenantId], r.Role))
            .OrderBy(m => m.OrganizationName, StringComparer.CurrentCultureIgnoreCase)
            .ToList();

        var current = memberships.FirstOrDefault(m => m.OrganizationId == member.OrganizationId);
        return new Profile(
            user.Id,
            user.DisplayName,
            user.Email,
            current,
            memberships,
            current is null ? [] : Permissions.Of(current.Role));
    }
}
