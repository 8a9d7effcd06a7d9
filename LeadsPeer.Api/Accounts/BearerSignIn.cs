using LeadsPeer.Core.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Api.Accounts;

/// <summary>
/// The Api's answer to a sign-in or a refresh: a short-lived access token the bearer scheme
/// reads, and a refresh token kept server-side (<see cref="RefreshTokens"/>) instead of the
/// scheme's own, which could be used for ever and never revoked. Same shape as Identity's answer.
/// </summary>
public sealed class BearerSignIn(
    SignInManager<ApplicationUser> signIn,
    IOptionsMonitor<BearerTokenOptions> bearer,
    TimeProvider time)
{
    public async Task<AccessTokenResponse> TokensAsync(ApplicationUser user, string refreshToken)
    {
        var options = bearer.Get(IdentityConstants.BearerScheme);
        var principal = await signIn.CreateUserPrincipalAsync(user);
        var properties = new AuthenticationProperties { ExpiresUtc = time.GetUtcNow() + options.BearerTokenExpiration };
        // The ticket as the bearer scheme writes and reads it (its scheme name marks an access token).
        var ticket = new AuthenticationTicket(principal, properties, $"{IdentityConstants.BearerScheme}:AccessToken");
        return new AccessTokenResponse
        {
            AccessToken = options.BearerTokenProtector.Protect(ticket),
            ExpiresIn = (long)options.BearerTokenExpiration.TotalSeconds,
            RefreshToken = refreshToken,
        };
    }
}
