using System.Net.Mail;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Email;
using LeadsPeer.Core.Security;
using LeadsPeer.Core.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Core.Team;

public sealed record InvitationSummary(Guid Id, string Email, OrganizationRole Role, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string State);

public sealed record AcceptInvitationRequest(string? Name, string? Password);

public sealed record AcceptedInvitation(Guid UserId, Guid OrganizationId);

/// <summary>What an invitation link offers, shown before it is accepted.</summary>
public sealed record InvitationPreview(string OrganizationName, string Email, OrganizationRole Role, DateTimeOffset ExpiresAt);

/// <summary>
/// Invitations to the organisation: emailed, single use, valid 7 days; accepting one makes the
/// invitee a member, creating their account if they have none.
/// </summary>
public sealed class Invitations(
    LeadsPeerDbContext db,
    CurrentMember member,
    UserManager<ApplicationUser> users,
    IServiceScopeFactory scopes,
    IEmailSender email,
    IOptions<EmailOptions> emailOptions,
    AuditLog audit,
    TimeProvider time)
{
    public async Task<IReadOnlyList<InvitationSummary>> ListInvitationsAsync(CancellationToken cancellationToken)
    {
        member.Demand(Permission.ManageTeam);
        var now = time.GetUtcNow();
        var invitations = await db.Invitations.AsNoTracking().OrderByDescending(i => i.CreatedAt).ToListAsync(cancellationToken);
        return [.. invitations.Select(i => Summarize(i, now))];
    }

    /// <summary>Invites <paramref name="emailAddress"/>; a pending invitation for the same address is replaced.</summary>
    public async Task<Outcome<InvitationSummary>> InviteAsync(string? emailAddress, OrganizationRole role, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ManageTeam) is { } refused)
        {
            return refused;
        }

        var address = emailAddress?.Trim();
        if (string.IsNullOrEmpty(address) || address.Length > 256 || !MailAddress.TryCreate(address, out var parsed) || parsed.Address != address)
        {
            return UseCaseError.Invalid("email", "A valid email address is required.");
        }

        if (role == OrganizationRole.Owner && member.Role != OrganizationRole.Owner)
        {
            return UseCaseError.Forbidden("Only an Owner may invite an Owner.");
        }

        var normalized = users.NormalizeEmail(address);
        var alreadyMember = await db.Memberships.AnyAsync(
            m => db.Users.Any(u => u.Id == m.UserId && u.NormalizedEmail == normalized), cancellationToken);
        if (alreadyMember)
        {
            return UseCaseError.Conflict("This person is already a member of the organisation.");
        }

        var now = time.GetUtcNow();
        await db.Invitations
            .Where(i => i.Email.ToUpper() == normalized && i.AcceptedAt == null && i.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.RevokedAt, now), cancellationToken);

        var token = SecretTokens.New();
        var invitation = new Invitation
        {
            Email = address,
            Role = role,
            TokenHash = HashToken(token),
            InvitedByUserId = member.UserId!.Value,
            CreatedAt = now,
            ExpiresAt = now + Invitation.Lifetime,
        };
        db.Invitations.Add(invitation);
        audit.Record("invitation.create", "invitation", invitation.Id, role.ToString());
        await db.SaveChangesAsync(cancellationToken);

        var organization = await db.Organizations.AsNoTracking().Select(o => o.Name).SingleAsync(cancellationToken);
        var link = new Uri(emailOptions.Value.DashboardUrl, $"invitations/{token}");
        await email.SendAsync(new EmailMessage(address, $"You are invited to {organization} on Leads Peer", $"""
            You have been invited to join {organization} on Leads Peer as {role}.

            Accept the invitation: {link}

            The link works once and expires on {invitation.ExpiresAt:yyyy-MM-dd HH:mm} UTC.
            """), cancellationToken);
        return Summarize(invitation, now);
    }

    public async Task<Outcome<bool>> RevokeInvitationAsync(Guid invitationId, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ManageTeam) is { } refused)
        {
            return refused;
        }

        var revoked = await db.Invitations
            .Where(i => i.Id == invitationId && i.AcceptedAt == null && i.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.RevokedAt, time.GetUtcNow()), cancellationToken);
        if (revoked == 1)
        {
            audit.Record("invitation.revoke", "invitation", invitationId);
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }

        return await db.Invitations.AnyAsync(i => i.Id == invitationId, cancellationToken)
            ? UseCaseError.Conflict("This invitation was already accepted or revoked.")
            : UseCaseError.NotFound("No such invitation in this organisation.");
    }

    /// <summary>The organisation, address and role an invitation link is for, while it can still be accepted.</summary>
    public async Task<Outcome<InvitationPreview>> PreviewAsync(string token, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var hash = HashToken(token);
        var invitation = await db.Invitations.AcrossTenants().AsNoTracking()
            .Where(i => i.TokenHash == hash)
            .Select(i => new { i.Email, i.Role, i.ExpiresAt, i.AcceptedAt, i.RevokedAt, Organization = db.Organizations.AcrossTenants().Where(o => o.Id == i.TenantId).Select(o => o.Name).Single() })
            .SingleOrDefaultAsync(cancellationToken);
        if (invitation is null)
        {
            return UseCaseError.NotFound("This invitation link is not valid.");
        }

        return invitation.AcceptedAt is not null || invitation.RevokedAt is not null || invitation.ExpiresAt <= now
            ? UseCaseError.Gone("This invitation was already used, revoked, or has expired. Ask for a new one.")
            : new InvitationPreview(invitation.Organization, invitation.Email, invitation.Role, invitation.ExpiresAt);
    }

    /// <summary>
    /// Accepts an invitation by its token: the signed-in person (<paramref name="signedInUserId"/>,
    /// whose email must be the invited one) joins, or a new account is made for the invited address.
    /// The token is the tenant key here, so this reads across tenants by the token's hash.
    /// </summary>
    public async Task<Outcome<AcceptedInvitation>> AcceptAsync(
        string token, Guid? signedInUserId, AcceptInvitationRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var hash = HashToken(token);
        var invitation = await db.Invitations.AcrossTenants().AsNoTracking()
            .SingleOrDefaultAsync(i => i.TokenHash == hash, cancellationToken);
        if (invitation is null)
        {
            return UseCaseError.NotFound("This invitation link is not valid.");
        }

        if (invitation.AcceptedAt is not null || invitation.RevokedAt is not null || invitation.ExpiresAt <= now)
        {
            return UseCaseError.Gone("This invitation was already used, revoked, or has expired. Ask for a new one.");
        }

        var normalized = users.NormalizeEmail(invitation.Email);
        if (signedInUserId is { } userId)
        {
            var user = await users.FindByIdAsync(userId.ToString());
            if (user is null || user.NormalizedEmail != normalized)
            {
                return UseCaseError.Forbidden("This invitation was sent to another email address.");
            }
        }
        else if (await users.FindByEmailAsync(invitation.Email) is not null)
        {
            return UseCaseError.Conflict("An account with this email exists: sign in, then accept the invitation.");
        }

        // The person may be signed in to another organisation: join in a scope of the invited one.
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(invitation.TenantId);
        return await JoinAsync(scope.ServiceProvider, invitation, signedInUserId, request, now, cancellationToken);
    }

    private static async Task<Outcome<AcceptedInvitation>> JoinAsync(
        IServiceProvider services, Invitation invitation, Guid? existingUserId, AcceptInvitationRequest request,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<LeadsPeerDbContext>();
        var users = services.GetRequiredService<UserManager<ApplicationUser>>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        ApplicationUser? user = existingUserId is { } id ? await users.FindByIdAsync(id.ToString()) : null;
        if (user is null)
        {
            var name = PlainTextName.Validate(request.Name, "Your name", out var nameError);
            if (nameError is not null)
            {
                return UseCaseError.Invalid("name", nameError);
            }

            user = new ApplicationUser { UserName = invitation.Email, Email = invitation.Email, EmailConfirmed = true, DisplayName = name, CreatedAt = now };
            var created = await users.CreateAsync(user, request.Password ?? "");
            if (!created.Succeeded)
            {
                return new UseCaseError(FailureKind.Invalid, "The request is not valid.",
                    new Dictionary<string, string[]> { ["password"] = [.. created.Errors.Select(e => e.Description)] });
            }
        }

        // Single use, even when two people race with the same link: only one update wins.
        var claimed = await db.Invitations
            .Where(i => i.Id == invitation.Id && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.AcceptedAt, now).SetProperty(i => i.AcceptedByUserId, user.Id), cancellationToken);
        if (claimed == 0)
        {
            return UseCaseError.Gone("This invitation was already used, revoked, or has expired. Ask for a new one.");
        }

        if (!await db.Memberships.AnyAsync(m => m.UserId == user.Id, cancellationToken))
        {
            db.Memberships.Add(new Membership { UserId = user.Id, Role = invitation.Role, CreatedAt = now });
        }

        user.CurrentOrganizationId = invitation.TenantId;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AcceptedInvitation(user.Id, invitation.TenantId);
    }

    private static InvitationSummary Summarize(Invitation i, DateTimeOffset now) => new(
        i.Id, i.Email, i.Role, i.CreatedAt, i.ExpiresAt,
        i.AcceptedAt is not null ? "Accepted" : i.RevokedAt is not null ? "Revoked" : i.ExpiresAt <= now ? "Expired" : "Pending");

    internal static string HashToken(string token) => SecretTokens.Hash(token);
}
