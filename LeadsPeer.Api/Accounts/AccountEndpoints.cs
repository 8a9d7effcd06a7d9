using System.Security.Claims;
using LeadsPeer.Api.RateLimits;
using LeadsPeer.Core;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Security;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Api.Accounts;

public sealed record LoginRequest(string? Email, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record SignUpResponse(Guid UserId, Guid OrganizationId);

public sealed record ForgotPasswordRequest(string? Email);

public sealed record SwitchOrganizationRequest(Guid OrganizationId);

public sealed record DeleteAccountRequest(string? Password);

/// <summary>Business sign-up, bearer-token sign-in and refresh, and the signed-in person's profile.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/onboarding/signup", SignUpAsync).WithTags("Onboarding").AllowAnonymous().ProducesProblem(StatusCodes.Status409Conflict)
            .RequireRateLimiting(RateLimitExtensions.Accounts).ProducesProblem(StatusCodes.Status429TooManyRequests);

        var auth = routes.MapGroup("/api/auth").WithTags("Authentication").AllowAnonymous();
        auth.MapPost("/login", LoginAsync).Produces<AccessTokenResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .RequireRateLimiting(RateLimitExtensions.SignIn).ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/refresh", RefreshAsync).Produces<AccessTokenResponse>().ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("A new access token and the next refresh token; each refresh token works once (a second use within seconds is a retry, later it ends every sign-in it came from).")
            .RequireRateLimiting(RateLimitExtensions.SignIn).ProducesProblem(StatusCodes.Status429TooManyRequests);
        // Anonymous, so a client whose access token has expired can still sign out.
        auth.MapPost("/logout", LogoutAsync).WithSummary("Sign out: the refresh token and every token refreshed from it stop working.")
            .RequireRateLimiting(RateLimitExtensions.SignIn).ProducesProblem(StatusCodes.Status429TooManyRequests);
        // A body that is not JSON (or has unknown fields) is the only refusal: the answer never says whether the address has an account.
        auth.MapPost("/forgot-password", ForgotPasswordAsync).ProducesProblem(StatusCodes.Status400BadRequest)
            .RequireRateLimiting(RateLimitExtensions.Accounts).ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/reset-password", ResetPasswordAsync).RequireRateLimiting(RateLimitExtensions.Accounts);

        var me = routes.MapGroup("/api/me").WithTags("Profile").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        me.MapGet("", GetProfileAsync).ProducesProblem(StatusCodes.Status404NotFound);
        me.MapPut("/current-organization", SwitchOrganizationAsync).Refuses(FailureKind.NotFound);
        me.MapDelete("", DeleteAccountAsync).WithSummary("Delete your own account (your password confirms it); not the last Owner of an open organisation.")
            .Refuses(FailureKind.Invalid, FailureKind.NotFound, FailureKind.Conflict);
        return routes;
    }

    private static async Task<Results<Created<SignUpResponse>, ValidationProblem, ProblemHttpResult>> SignUpAsync(
        SignUpRequest request, SignUpService signUp, CancellationToken cancellationToken)
    {
        return await signUp.SignUpAsync(request, cancellationToken) switch
        {
            SignUpResult.Created created => TypedResults.Created("/api/me", new SignUpResponse(created.UserId, created.OrganizationId)),
            SignUpResult.Invalid invalid => TypedResults.ValidationProblem(invalid.Errors),
            _ => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "This email address already has an account.",
                detail: "Sign in instead, or reset the password if it is forgotten."),
        };
    }

    private static async Task<Results<Ok<AccessTokenResponse>, ProblemHttpResult>> LoginAsync(
        LoginRequest request,
        SignInManager<ApplicationUser> signIn,
        MemberResolver members,
        SignInThrottle throttle,
        AccessTokens accessTokens,
        RefreshTokens refreshTokens,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Email) || string.IsNullOrEmpty(request.Password))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Email and password are required.");
        }

        if (throttle.Refuse(request.Email.Trim(), http) is { } retryAfter)
        {
            return RateLimitExtensions.TooMany(http, retryAfter);
        }

        var user = await signIn.UserManager.FindByEmailAsync(request.Email.Trim());
        var result = user is null ? Microsoft.AspNetCore.Identity.SignInResult.Failed : await signIn.CheckPasswordSignInAsync(user, request.Password, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            if (!await members.MaySignInAsync(user!.Id, cancellationToken))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: MemberResolver.ClosingRefusal);
            }

            return TypedResults.Ok(await TokensAsync(accessTokens, user, await refreshTokens.IssueAsync(user.Id, cancellationToken)));
        }

        return result.IsLockedOut
            ? TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "This account is locked.",
                detail: "Too many failed sign-ins. Try again in 15 minutes, or reset the password.")
            : TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The email or password is incorrect.");
    }

    private static async Task<Results<Ok<AccessTokenResponse>, ProblemHttpResult>> RefreshAsync(
        RefreshRequest request,
        RefreshTokens refreshTokens,
        UserManager<ApplicationUser> users,
        MemberResolver members,
        AccessTokens accessTokens,
        CancellationToken cancellationToken)
    {
        // Unknown, expired, revoked or reused (which also ends its family): one answer for all.
        if (await refreshTokens.RotateAsync(request.RefreshToken, cancellationToken) is not RefreshOutcome.Rotated rotated
            || await users.FindByIdAsync(rotated.UserId.ToString()) is not { } user)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The refresh token is invalid or has expired.",
                detail: "Sign in again.");
        }

        if (!await members.MaySignInAsync(user.Id, cancellationToken))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: MemberResolver.ClosingRefusal);
        }

        return TypedResults.Ok(await TokensAsync(accessTokens, user, rotated.RefreshToken));
    }

    /// <summary>Identity's answer shape, with a refresh token of our own: stored server-side, unlike the bearer scheme's, which could be used for ever.</summary>
    private static async Task<AccessTokenResponse> TokensAsync(AccessTokens accessTokens, ApplicationUser user, string refreshToken) => new()
    {
        AccessToken = await accessTokens.IssueAsync(user),
        ExpiresIn = (long)accessTokens.Lifetime.TotalSeconds,
        RefreshToken = refreshToken,
    };

    private static async Task<NoContent> LogoutAsync(RefreshRequest request, RefreshTokens refreshTokens, CancellationToken cancellationToken)
    {
        await refreshTokens.RevokeAsync(request.RefreshToken, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Accepted> ForgotPasswordAsync(
        ForgotPasswordRequest request, PasswordResetService passwords, CancellationToken cancellationToken)
    {
        await passwords.RequestAsync(request.Email, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    private static Task<Results<NoContent, Refusal>> ResetPasswordAsync(
        ResetPasswordRequest request, PasswordResetService passwords, CancellationToken cancellationToken) =>
        passwords.ResetAsync(request, cancellationToken).NoContentOrRefusal();

    private static Task<Results<NoContent, Refusal>> SwitchOrganizationAsync(
        SwitchOrganizationRequest request, ClaimsPrincipal user, ProfileService profiles, CancellationToken cancellationToken)
    {
        var userId = Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
        return profiles.SwitchOrganizationAsync(userId, request.OrganizationId, cancellationToken).NoContentOrRefusal();
    }

    private static Task<Results<NoContent, Refusal>> DeleteAccountAsync(
        [FromBody] DeleteAccountRequest request, ClaimsPrincipal user, AccountDeletion deletion, CancellationToken cancellationToken)
    {
        var userId = Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
        return deletion.DeleteOwnAccountAsync(userId, request.Password, cancellationToken).NoContentOrRefusal();
    }

    private static async Task<Results<Ok<Profile>, ProblemHttpResult>> GetProfileAsync(
        ClaimsPrincipal user, ProfileService profiles, CancellationToken cancellationToken)
    {
        var profile = Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            ? await profiles.GetAsync(userId, cancellationToken)
            : null;
        return profile is null ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound) : TypedResults.Ok(profile);
    }
}
