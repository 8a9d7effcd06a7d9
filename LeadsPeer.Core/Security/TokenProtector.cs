using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Core.Security;

/// <summary>
/// What a secret is bound to. It becomes the AES-GCM associated data, so a ciphertext copied to
/// another connection, tenant or purpose (a token pasted where a PIN belongs) fails to decrypt.
/// </summary>
public readonly record struct SecretBinding(Guid TenantId, Guid ConnectionId, string Purpose)
{
    public static SecretBinding AccessToken(Guid tenantId, Guid connectionId) => new(tenantId, connectionId, "whatsapp-access-token");

    public static SecretBinding RegistrationPin(Guid tenantId, Guid connectionId) => new(tenantId, connectionId, "whatsapp-registration-pin");

    internal byte[] ToAssociatedData() => Encoding.UTF8.GetBytes($"leadspeer:{Purpose}:{TenantId:N}:{ConnectionId:N}");
}

/// <summary>
/// Encrypts secrets at rest (WhatsApp access tokens, registration PINs) with AES-256-GCM: a fresh
/// random 96-bit nonce each time, the <see cref="SecretBinding"/> as associated data, and the key
/// id in the ciphertext so keys can rotate — the newest key encrypts, older configured keys
/// still decrypt. Keys come from configuration, never from the database.
/// </summary>
public sealed class TokenProtector
{
    // Layout: version (1) | key id length (1) | key id (ASCII) | nonce (12) | tag (16) | ciphertext.
    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly string _activeKeyId;
    private readonly Dictionary<string, byte[]> _keys;

    public TokenProtector(IOptions<TokenProtectionOptions> options)
    {
        var settings = options.Value;
        _activeKeyId = settings.KeyId;
        _keys = settings.PreviousKeys.ToDictionary(k => k.Key, k => TokenProtectionOptions.TryDecodeKey(k.Value)!);
        _keys[settings.KeyId] = TokenProtectionOptions.TryDecodeKey(settings.Key)
            ?? throw new InvalidOperationException($"{TokenProtectionOptions.Section}:Key is not a valid key.");
    }

    /// <summary>The id of the key that encrypts now.</summary>
    public string ActiveKeyId => _activeKeyId;

    public byte[] Protect(string secret, SecretBinding binding)
    {
        var plaintext = Encoding.UTF8.GetBytes(secret);
        var keyId = Encoding.ASCII.GetBytes(_activeKeyId);
        var output = new byte[2 + keyId.Length + NonceSize + TagSize + plaintext.Length];
        output[0] = FormatVersion;
        output[1] = checked((byte)keyId.Length);
        keyId.CopyTo(output, 2);

        var offset = 2 + keyId.Length;
        var nonce = output.AsSpan(offset, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_keys[_activeKeyId], TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(offset + NonceSize + TagSize), output.AsSpan(offset + NonceSize, TagSize), binding.ToAssociatedData());
        CryptographicOperations.ZeroMemory(plaintext);
        return output;
    }

    /// <exception cref="CryptographicException">The data was altered, bound to something else, or its key is not configured.</exception>
    public string Unprotect(byte[] protectedSecret, SecretBinding binding)
    {
        var (keyId, offset) = ReadHeader(protectedSecret);
        if (!_keys.TryGetValue(keyId, out var key))
        {
            throw new CryptographicException(
                $"The secret was encrypted with key '{keyId}', which is not configured: add it under {TokenProtectionOptions.Section}:PreviousKeys.");
        }

        var nonce = protectedSecret.AsSpan(offset, NonceSize);
        var tag = protectedSecret.AsSpan(offset + NonceSize, TagSize);
        var ciphertext = protectedSecret.AsSpan(offset + NonceSize + TagSize);
        var plaintext = new byte[ciphertext.Length];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(nonce, ciphertext, tag, plaintext, binding.ToAssociatedData());
        return Encoding.UTF8.GetString(plaintext);
    }

    /// <summary>The id of the key that encrypted <paramref name="protectedSecret"/>.</summary>
    public static string KeyIdOf(byte[] protectedSecret) => ReadHeader(protectedSecret).KeyId;

    /// <summary>Whether the secret should be encrypted again with the active key (after a rotation).</summary>
    public bool NeedsReEncryption(byte[] protectedSecret) => KeyIdOf(protectedSecret) != _activeKeyId;

    private static (string KeyId, int Offset) ReadHeader(byte[] data)
    {
        if (data.Length < 2 || data[0] != FormatVersion || data.Length < 2 + data[1] + NonceSize + TagSize)
        {
            throw new CryptographicException("The protected secret is not in a format this version understands.");
        }

        return (Encoding.ASCII.GetString(data, 2, data[1]), 2 + data[1]);
    }
}
