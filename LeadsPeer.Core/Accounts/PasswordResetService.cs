using System.Buffers.Text;
using System.Text;
using LeadsPeer.Core.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Core.Accounts;

public sealed record ResetPasswordRequest(string? Email, string? Token, string? NewPassword);

/// <summary>Forgotten passwords: a single-purpose link by email, then a new password.</summary>
public sealed class PasswordResetService(
    UserManager<ApplicationUser> users,
    RefreshTokens refreshTokens,
    IEmailSender email,
    IOptions<EmailOptions> emailOptions,
    ILogger<PasswordResetService> logger)
{
    /// <summary>
    /// Emails a reset link when the address has an account. The caller learns nothing either way,
    /// so the endpoint cannot be used to find out who has an account.
    /// </summary>
    public async Task RequestAsync(string? emailAddress, CancellationToken cancellationToken)
    {
        var user = string.IsNullOrWhiteSpace(emailAddress) ? null : await users.FindByEmailAsync(emailAddress.Trim());
        if (user?.Email is null)
        {
            return;
        }

        var token = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(user)));
        var link = new Uri(emailOptions.Value.DashboardUrl,
            $"reset-password?email={Uri.EscapeDataString(user.Email)}&token={token}");
        await email.SendAsync(new EmailMessage(user.Email, "Reset your Leads Peer password", $"""
            Someone asked to reset the password of your Leads Peer account.

            Choose a new password: {link}

            If it was not you, ignore this email; your password stays as it is.
            """), cancellationToken);
        logger.LogInformation("Password reset requested for user {UserId}", user.Id);
    }

    public async Task<Outcome<bool>> ResetAsync(ResetPasswordRequest request, CancellationToken cancellationToken)
    {
        var user = string.IsNullOrWhiteSpace(request.Email) ? null : await users.FindByEmailAsync(request.Email.Trim());
        var token = DecodeToken(request.Token);
        if (user is null || token is null)
        {
            return UseCaseError.Invalid("token", "This reset link is not valid or has expired. Ask for a new one.");
        }

        var result = await users.ResetPasswordAsync(user, token, request.NewPassword ?? "");
        if (!result.Succeeded)
        {
            var invalidToken = result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken));
            return invalidToken
                ? UseCaseError.Invalid("token", "This reset link is not valid or has expired. Ask for a new one.")
                : new UseCaseError(FailureKind.Invalid, "The request is not valid.",
                    new Dictionary<string, string[]> { ["newPassword"] = [.. result.Errors.Select(e => e.Description)] });
        }

        // Whoever knew the old password (perhaps the reason for the reset) is signed out of the Api.
        await refreshTokens.RevokeAllAsync(user.Id, cancellationToken);

        // Whoever reset the password owns the mailbox: lift a lockout the forgotten password caused.
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        return true;
    }

    /// <summary>The link carries Identity's token base64url-encoded; anything else is not a token.</summary>
    private static string? DecodeToken(string? encoded)
    {
        if (string.IsNullOrEmpty(encoded))
        {
            return null;
        }

        var bytes = new byte[Base64Url.GetMaxDecodedLength(encoded.Length)];
        return Base64Url.TryDecodeFromChars(encoded, bytes, out var written) ? Encoding.UTF8.GetString(bytes, 0, written) : null;
    }
}
