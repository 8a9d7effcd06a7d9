using System.Security.Claims;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Team;

namespace LeadsPeer.Api.Team;

public sealed record ChangeRoleRequest(OrganizationRole Role);

public sealed record InviteRequest(string? Email, OrganizationRole Role);

/// <summary>The organisation's members and invitations.</summary>
public static class TeamEndpoints
{
    public static IEndpointRouteBuilder MapTeamEndpoints(this IEndpointRouteBuilder routes)
    {
        var team = routes.MapGroup("/api/team").WithTags("Team");
        var manage = Permissions.PolicyName(Permission.ManageTeam);

        // Every member may see who else works here; changing it takes the team permission.
        team.MapGet("/members", ListMembersAsync).RequireAuthorization(Permissions.PolicyName(Permission.HandleConversations));
        team.MapPut("/members/{userId:guid}", ChangeRoleAsync).RequireAuthorization(manage);
        team.MapDelete("/members/{userId:guid}", RemoveMemberAsync).RequireAuthorization(manage);
        team.MapGet("/invitations", ListInvitationsAsync).RequireAuthorization(manage);
        team.MapPost("/invitations", InviteAsync).RequireAuthorization(manage);
        team.MapDelete("/invitations/{id:guid}", RevokeInvitationAsync).RequireAuthorization(manage);
        // The token is the credential; a signed-in person joins as themselves, anyone else creates an account.
        team.MapPost("/invitations/{token}/accept", AcceptAsync).AllowAnonymous();
        return routes;
    }

    private static async Task<IResult> ListMembersAsync(TeamService team, CancellationToken cancellationToken) =>
        TypedResults.Ok(await team.ListMembersAsync(cancellationToken));

    private static async Task<IResult> ChangeRoleAsync(Guid userId, ChangeRoleRequest request, TeamService team, CancellationToken cancellationToken)
    {
        var outcome = await team.ChangeRoleAsync(userId, request.Role, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : outcome.Error!.ToProblem();
    }

    private static async Task<IResult> RemoveMemberAsync(Guid userId, TeamService team, CancellationToken cancellationToken)
    {
        var outcome = await team.RemoveMemberAsync(userId, cancellationToken);
        return outcome.Succeeded ? TypedResults.NoContent() : outcome.Error!.ToProblem();
    }

    private static async Task<IResult> ListInvitationsAsync(TeamService team, CancellationToken cancellationToken) =>
        TypedResults.Ok(await team.ListInvitationsAsync(cancellationToken));

    private static async Task<IResult> InviteAsync(InviteRequest request, TeamService team, CancellationToken cancellationToken)
    {
        var outcome = await team.InviteAsync(request.Email, request.Role, cancellationToken);
        return outcome.Succeeded ? TypedResults.Created($"/api/team/invitations/{outcome.Value!.Id}", outcome.Value) : outcome.Error!.ToProblem();
    }

    private static async Task<IResult> RevokeInvitationAsync(Guid id, TeamService team, CancellationToken cancellationToken)
    {
        var outcome = await team.RevokeInvitationAsync(id, cancellationToken);
        return outcome.Succeeded ? TypedResults.NoContent() : outcome.Error!.ToProblem();
    }

    private static async Task<IResult> AcceptAsync(
        string token, AcceptInvitationRequest? request, ClaimsPrincipal user, TeamService team, CancellationToken cancellationToken)
    {
        Guid? userId = Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
        var outcome = await team.AcceptAsync(token, userId, request ?? new AcceptInvitationRequest(null, null), cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : outcome.Error!.ToProblem();
    }
}
