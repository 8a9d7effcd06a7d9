using LeadsPeer.Api.Idempotency;
using System.Security.Claims;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Team;
using Microsoft.AspNetCore.Http.HttpResults;
using LeadsPeer.Core;

namespace LeadsPeer.Api.Team;

public sealed record ChangeRoleRequest(OrganizationRole Role);

public sealed record InviteRequest(string? Email, OrganizationRole Role);

/// <summary>The organisation's members and invitations.</summary>
public static class TeamEndpoints
{
    public static IEndpointRouteBuilder MapTeamEndpoints(this IEndpointRouteBuilder routes)
    {
        var team = routes.MapGroup("/api/team").WithTags("Team")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        var manage = Permissions.PolicyName(Permission.ManageTeam);

        // Every member may see who else works here; changing it takes the team permission.
        team.MapGet("/members", ListMembersAsync).RequireAuthorization(Permissions.PolicyName(Permission.HandleConversations));
        team.MapPut("/members/{userId:guid}", ChangeRoleAsync).RequireAuthorization(manage).Refuses(FailureKind.NotFound, FailureKind.Forbidden, FailureKind.Conflict);
        team.MapDelete("/members/{userId:guid}", RemoveMemberAsync).RequireAuthorization(manage).Refuses(FailureKind.NotFound, FailureKind.Forbidden, FailureKind.Conflict);
        team.MapGet("/invitations", ListInvitationsAsync).RequireAuthorization(manage);
        team.MapPost("/invitations", InviteAsync).RequireAuthorization(manage).Refuses(FailureKind.Forbidden, FailureKind.Conflict).Idempotent();
        team.MapDelete("/invitations/{id:guid}", RevokeInvitationAsync).RequireAuthorization(manage).Refuses(FailureKind.NotFound);
        // The token is the credential; a signed-in person joins as themselves, anyone else creates an account.
        team.MapPost("/invitations/{token}/accept", AcceptAsync).AllowAnonymous().RequireRateLimiting(RateLimits.RateLimitExtensions.Accounts).Refuses(FailureKind.NotFound, FailureKind.Forbidden, FailureKind.Gone, FailureKind.Conflict);
        return routes;
    }

    private static async Task<Ok<IReadOnlyList<TeamMember>>> ListMembersAsync(TeamMembers members, CancellationToken cancellationToken) =>
        TypedResults.Ok(await members.ListMembersAsync(cancellationToken));

    private static Task<Results<Ok<TeamMember>, Refusal>> ChangeRoleAsync(Guid userId, ChangeRoleRequest request, TeamMembers members, CancellationToken cancellationToken) =>
        members.ChangeRoleAsync(userId, request.Role, cancellationToken).OkOrRefusal();

    private static Task<Results<NoContent, Refusal>> RemoveMemberAsync(Guid userId, TeamMembers members, CancellationToken cancellationToken) =>
        members.RemoveMemberAsync(userId, cancellationToken).NoContentOrRefusal();

    private static async Task<Ok<IReadOnlyList<InvitationSummary>>> ListInvitationsAsync(Invitations invitations, CancellationToken cancellationToken) =>
        TypedResults.Ok(await invitations.ListInvitationsAsync(cancellationToken));

    private static Task<Results<Created<InvitationSummary>, Refusal>> InviteAsync(InviteRequest request, Invitations invitations, CancellationToken cancellationToken) =>
        invitations.InviteAsync(request.Email, request.Role, cancellationToken).CreatedOrRefusal(invitation => $"/api/team/invitations/{invitation.Id}");

    private static Task<Results<NoContent, Refusal>> RevokeInvitationAsync(Guid id, Invitations invitations, CancellationToken cancellationToken) =>
        invitations.RevokeInvitationAsync(id, cancellationToken).NoContentOrRefusal();

    private static Task<Results<Ok<AcceptedInvitation>, Refusal>> AcceptAsync(
        string token, AcceptInvitationRequest? request, ClaimsPrincipal user, Invitations invitations, CancellationToken cancellationToken)
    {
        Guid? userId = Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
        return invitations.AcceptAsync(token, userId, request ?? new AcceptInvitationRequest(null, null), cancellationToken).OkOrRefusal();
    }
}
