using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Core.Security;

/// <summary>
/// The key that encrypts WhatsApp access tokens at rest (AES-256-GCM). It comes from
/// configuration, never from the database, and carries an id so keys can rotate: tokens
/// record the id of the key that encrypted them.
/// </summary>
public sealed class TokenProtectionOptions
{
    public const string Section = "TokenProtection";

    /// <summary>Base64 of 32 random bytes (<c>openssl rand -base64 32</c>).</summary>
    public string? Key { get; set; }

    public string KeyId { get; set; } = "k1";

    /// <summary>Earlier keys by id, still accepted for decryption while tokens are re-encrypted.</summary>
    public Dictionary<string, string> PreviousKeys { get; set; } = [];

    internal static byte[]? TryDecodeKey(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var bytes = new byte[32];
        return Convert.TryFromBase64String(value, bytes, out var written) && written == 32 ? bytes : null;
    }
}

internal sealed class TokenProtectionOptionsValidator : IValidateOptions<TokenProtectionOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenProtectionOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Key))
        {
            failures.Add($"{TokenProtectionOptions.Section}:Key is required: base64 of 32 random bytes (openssl rand -base64 32).");
        }
        else if (TokenProtectionOptions.TryDecodeKey(options.Key) is null)
        {
            failures.Add($"{TokenProtectionOptions.Section}:Key must be base64 of exactly 32 bytes (AES-256).");
        }

        if (string.IsNullOrWhiteSpace(options.KeyId) || options.KeyId.Length > 64 || !options.KeyId.All(char.IsAsciiLetterOrDigit))
        {
            // The id is stored inside every ciphertext, so it is short and plain.
            failures.Add($"{TokenProtectionOptions.Section}:KeyId must be 1 to 64 ASCII letters or digits.");
        }

        foreach (var (id, key) in options.PreviousKeys)
        {
            if (id == options.KeyId)
            {
                failures.Add($"{TokenProtectionOptions.Section}:PreviousKeys:{id} has the active key's id.");
            }
            else if (TokenProtectionOptions.TryDecodeKey(key) is null)
            {
                failures.Add($"{TokenProtectionOptions.Section}:PreviousKeys:{id} must be base64 of exactly 32 bytes.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

public static class TokenProtectionExtensions
{
    public static IServiceCollection AddTokenProtection(this IServiceCollection services)
    {
        services.AddOptions<TokenProtectionOptions>().BindConfiguration(TokenProtectionOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TokenProtectionOptions>, TokenProtectionOptionsValidator>();
        services.AddSingleton<TokenProtector>();
        services.AddScoped<TokenReEncryptor>();
        return services;
    }
}
