using Microsoft.AspNetCore.DataProtection;

namespace LeadsPeer.Core.WhatsApp;

/// <summary>
/// The anti-forgery state of one Embedded Signup: issued to the signed-in person before the
/// Meta pop-up opens, and required back with the code. It is bound to that person and their
/// organisation and expires after 30 minutes, so a code cannot be posted on someone's behalf.
/// </summary>
public sealed class EmbeddedSignupState(IDataProtectionProvider protection, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    private ITimeLimitedDataProtector Protector =>
        protection.CreateProtector("LeadsPeer.WhatsApp.EmbeddedSignupState").ToTimeLimitedDataProtector();

    public string Issue(Guid userId, Guid organizationId) =>
        Protector.Protect($"{userId:N}:{organizationId:N}", time.GetUtcNow() + Lifetime);

    public bool IsValid(string? state, Guid userId, Guid organizationId)
    {
        if (string.IsNullOrEmpty(state))
        {
            return false;
        }

        try
        {
            var payload = Protector.Unprotect(state, out var expiration);
            return expiration > time.GetUtcNow() && payload == $"{userId:N}:{organizationId:N}";
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }
}
