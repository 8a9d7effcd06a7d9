using Microsoft.AspNetCore.Authorization;

namespace LeadsPeer.Core.Accounts;

/// <summary>Requires the current member's role to allow <see cref="Permission"/> in the permission table.</summary>
public sealed record PermissionRequirement(Permission Permission) : IAuthorizationRequirement;

internal sealed class PermissionHandler(CurrentMember member) : AuthorizationHandler<PermissionRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        if (member.Can(requirement.Permission))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
