using System.Security.Claims;
using LeadsPeer.Core.Accounts;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Web.Components.Account;

/// <summary>
/// A dashboard circuit can stay open for a whole shift, long after the sign-in that started it.
/// Every minute it checks that the person still may act as the circuit does: the account exists,
/// its security stamp is unchanged (a new password or a sign-out everywhere changes it), and they
/// still belong to the organisation with the same role. When not, the circuit's person is signed
/// out of it and the page sends them to sign in again, so a removed member or a demoted admin
/// loses what they may no longer see within a minute.
/// </summary>
internal sealed class RevalidatingMemberStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopes,
    CurrentMember circuitMember,
    IOptions<IdentityOptions> identity)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        StillMayActAsync(authenticationState, cancellationToken);

    internal async Task<bool> StillMayActAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.GetUserAsync(authenticationState.User);
        if (user is null)
        {
            return false;
        }

        var stamp = authenticationState.User.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
        if (users.SupportsUserSecurityStamp && stamp != await users.GetSecurityStampAsync(user))
        {
            return false;
        }

        if (circuitMember.UserId is null)
        {
            return true; // the circuit has not resolved its member yet
        }

        await scope.ServiceProvider.GetRequiredService<MemberResolver>().ResolveAsync(user.Id, cancellationToken);
        var now = scope.ServiceProvider.GetRequiredService<CurrentMember>();
        return now.OrganizationId == circuitMember.OrganizationId && now.Role == circuitMember.Role;
    }
}
