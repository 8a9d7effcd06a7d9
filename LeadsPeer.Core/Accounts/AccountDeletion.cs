using LeadsPeer.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Accounts;

/// <summary>
/// A business user deletes their own account: their password confirms it, and the last Owner of
/// an organisation that is not closing is refused (it would be left with nobody to answer for it:
/// make someone else Owner, or close it, first). Their memberships go with the account; each
/// organisation's audit trail records that a member deleted their account, never who by email.
/// </summary>
public sealed class AccountDeletion(LeadsPeerDbContext db, UserManager<ApplicationUser> users, TimeProvider time)
{
    public async Task<Outcome<bool>> DeleteOwnAccountAsync(Guid userId, string? password, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null)
        {
            return UseCaseError.NotFound("No such account.");
        }

        if (string.IsNullOrEmpty(password) || !await users.CheckPasswordAsync(user, password))
        {
            return UseCaseError.Invalid("password", "Enter your password to confirm.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var memberships = await db.Memberships.AcrossTenants().Where(m => m.UserId == userId).ToListAsync(cancellationToken);
        foreach (var owned in memberships.Where(m => m.Role == OrganizationRole.Owner))
        {
            // The organisation's row is the team's lock (as for role changes): two Owners cannot both leave at once.
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM organizations WHERE id = {owned.TenantId} FOR UPDATE", cancellationToken);
            var organization = await db.Organizations.AcrossTenants().SingleAsync(o => o.Id == owned.TenantId, cancellationToken);
            var otherOwners = await db.Memberships.AcrossTenants()
                .CountAsync(m => m.TenantId == owned.TenantId && m.Role == OrganizationRole.Owner && m.UserId != userId, cancellationToken);
            if (otherOwners == 0 && organization.ClosureRequestedAt is null)
            {
                return UseCaseError.Conflict($"You are the last Owner of {organization.Name}: make someone else Owner, or close the organisation, first.");
            }
        }

        // Written for each organisation the person leaves, outside any one tenant's scope.
        foreach (var membership in memberships)
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO audit_entries (id, tenant_id, user_id, action, entity_type, entity_id, details, created_at)
                VALUES ({Guid.CreateVersion7()}, {membership.TenantId}, {userId}, 'account.delete', 'member', {userId}, {membership.Role.ToString()}, {time.GetUtcNow()})
                """, cancellationToken);
        }

        // Memberships, logins and tokens go with the user (cascades).
        await db.Users.Where(u => u.Id == userId).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
