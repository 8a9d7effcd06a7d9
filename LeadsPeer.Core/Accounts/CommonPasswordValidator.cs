using System.Reflection;
using Microsoft.AspNetCore.Identity;

namespace LeadsPeer.Core.Accounts;

/// <summary>
/// Refuses passwords from the list of the most common ones (and those passwords with a year or
/// "!" tacked on), which attackers try first whatever the length rules say.
/// </summary>
internal sealed class CommonPasswordValidator : IPasswordValidator<ApplicationUser>
{
    private static readonly Lazy<HashSet<string>> Common = new(Load);

    public Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user, string? password)
    {
        if (password is null || !IsCommon(password))
        {
            return Task.FromResult(IdentityResult.Success);
        }

        return Task.FromResult(IdentityResult.Failed(new IdentityError
        {
            Code = "PasswordTooCommon",
            Description = "This password is among the most common ones. Choose one that is harder to guess.",
        }));
    }

    internal static bool IsCommon(string password)
    {
        var normalized = password.Trim().ToLowerInvariant();
        var stem = normalized.TrimEnd('!', '.', '?', '1', '2', '3', '4', '5', '6', '7', '8', '9', '0');
        return Common.Value.Contains(normalized) || (stem.Length >= 4 && Common.Value.Contains(stem));
    }

    private static HashSet<string> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("LeadsPeer.Core.Accounts.common-passwords.txt")
            ?? throw new InvalidOperationException("The common-password list is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var passwords = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                passwords.Add(line.Trim().ToLowerInvariant());
            }
        }

        return passwords;
    }
}
