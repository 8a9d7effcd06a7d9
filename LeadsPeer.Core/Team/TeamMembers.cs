using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Email;
using LeadsPeer.Core.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Core.Team;

public sealed record TeamMember(Guid UserId, string? Name, string? Email, OrganizationRole Role, DateTimeOffset JoinedAt);

/// <summary>
/// The organisation's members and their roles. Acts for the current member's organisation; the
/// permission to manage the team is checked by the host's policy, the rules about Owners here —
/// an organisation always keeps at least one Owner, and only an Owner may make or unmake one.
/// </summary>
public sealed class TeamMembers(
    LeadsPeerDbContext db,
    CurrentMember member,
    TenantContext tenant,
    AuditLog audit)
{
    public async Task<IReadOnlyList<TeamMember>> ListMembersAsync(CancellationToken cancellationToken) =>
        await Members().ToListAsync(cancellationToken);

    // Filters go before the projection: EF cannot translate members of a record built by its constructor.
    private IQueryable<TeamMember> Members(Guid? userId = null) =>
        from m in db.Memberships.AsNoTracking()
        where userId == null || m.UserId == userId
        join u in db.Users on m.UserId equals u.Id
        orderby m.CreatedAt
        select new TeamMember(u.Id, u.DisplayName, u.Email, m.Role, m.CreatedAt);

    public async Task<Outcome<TeamMember>> ChangeRoleAsync(Guid userId, OrganizationRole role, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ManageTeam) is { } refused)
        {
            return refused;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await LockTeamAsync(cancellationToken);
        var membership = await db.Memberships.SingleOrDefaultAsync(m => m.UserId == userId, cancellationToken);
        if (membership is null)
        {
            return UseCaseError.NotFound("No such member in this organisation.");
        }

        if ((role == OrganizationRole.Owner || membership.Role == OrganizationRole.Owner) && member.Role != OrganizationRole.Owner)
        {
            return UseCaseError.Forbidden("Only an Owner may make someone an Owner or change an Owner's role.");
        }

        if (membership.Role == OrganizationRole.Owner && role != OrganizationRole.Owner && await OwnerCountAsync(cancellationToken) == 1)
        {
            return UseCaseError.Conflict("The organisation must keep at least one Owner: make someone else Owner first.");
        }

        audit.Record("member.role-change", "member", userId, $"{membership.Role} → {role}");
        membership.Role = role;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await Members(userId).SingleAsync(cancellationToken);
    }

    public async Task<Outcome<bool>> RemoveMemberAsync(Guid userId, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ManageTeam) is { } refused)
        {
            return refused;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await LockTeamAsync(cancellationToken);
        var membership = await db.Memberships.SingleOrDefaultAsync(m => m.UserId == userId, cancellationToken);
        if (membership is null)
        {
            return UseCaseError.NotFound("No such member in this organisation.");
        }

        if (membership.Role == OrganizationRole.Owner && member.Role != OrganizationRole.Owner)
        {
            return UseCaseError.Forbidden("Only an Owner may remove an Owner.");
        }

        if (membership.Role == OrganizationRole.Owner && await OwnerCountAsync(cancellationToken) == 1)
        {
            return UseCaseError.Conflict("The organisation must keep at least one Owner: make someone else Owner first.");
        }

        db.Memberships.Remove(membership);
        audit.Record("member.remove", "member", userId, membership.Role.ToString());
        await db.SaveChangesAsync(cancellationToken);
        // The person keeps their account and other organisations; this one is no longer theirs to act for.
        await db.Users.Where(u => u.Id == userId && u.CurrentOrganizationId == membership.TenantId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.CurrentOrganizationId, (Guid?)null), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Serialises changes to one organisation's team, so two Owners cannot demote each other at once.</summary>
    private Task LockTeamAsync(CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT 1 FROM organizations WHERE id = {tenant.TenantId} FOR UPDATE", cancellationToken);

    private Task<int> OwnerCountAsync(CancellationToken cancellationToken) =>
        db.Memberships.CountAsync(m => m.Role == OrganizationRole.Owner, cancellationToken);
}
