using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Core.Accounts;

/// <summary>
/// Access tokens of the Api's bearer scheme, written as the scheme reads them (its protector,
/// its ticket name) with the lifetime the caller needs: the Api's sign-in and refresh, and the
/// dashboard calling the Api as the signed-in person. Refresh tokens are not the scheme's
/// (see <see cref="RefreshTokens"/>).
/// </summary>
public sealed class AccessTokens(
    IUserClaimsPrincipalFactory<ApplicationUser> principals,
    IOptionsMonitor<BearerTokenOptions> bearer,
    TimeProvider time)
{
    /// <summary>The scheme's configured lifetime (<c>Auth:AccessTokenLifetime</c> on the Api).</summary>
    public TimeSpan Lifetime => bearer.Get(IdentityConstants.BearerScheme).BearerTokenExpiration;

    public async Task<string> IssueAsync(ApplicationUser user, TimeSpan? lifetime = null)
    {
        var options = bearer.Get(IdentityConstants.BearerScheme);
        var principal = await principals.CreateAsync(user);
        var properties = new AuthenticationProperties { ExpiresUtc = time.GetUtcNow() + (lifetime ?? options.BearerTokenExpiration) };
        return options.BearerTokenProtector.Protect(new AuthenticationTicket(principal, properties, $"{IdentityConstants.BearerScheme}:AccessToken"));
    }
}
