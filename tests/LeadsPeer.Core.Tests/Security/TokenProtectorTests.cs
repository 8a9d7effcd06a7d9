using System.Security.Cryptography;
using System.Text;
using LeadsPeer.Core.Security;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Core.Tests.Security;

public sealed class TokenProtectorTests
{
    private const string Token = "EAAG-business-token-1234567890";
    private static readonly string OldKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string NewKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly SecretBinding Binding = SecretBinding.AccessToken(Guid.NewGuid(), Guid.NewGuid());

    [Fact]
    public void A_protected_token_round_trips_and_the_stored_bytes_do_not_contain_it()
    {
        var protector = Protector("k1", OldKey);

        var stored = protector.Protect(Token, Binding);

        Assert.Equal(Token, protector.Unprotect(stored, Binding));
        Assert.DoesNotContain("business-token", Encoding.UTF8.GetString(stored));
        Assert.Equal("k1", TokenProtector.KeyIdOf(stored));
    }

    [Fact]
    public void Each_encryption_uses_a_fresh_nonce()
    {
        var protector = Protector("k1", OldKey);

        Assert.NotEqual(protector.Protect(Token, Binding), protector.Protect(Token, Binding));
    }

    [Fact]
    public void A_token_bound_to_one_connection_does_not_decrypt_for_another_or_as_another_purpose()
    {
        var protector = Protector("k1", OldKey);
        var stored = protector.Protect(Token, Binding);

        Assert.ThrowsAny<CryptographicException>(() =>
            protector.Unprotect(stored, SecretBinding.AccessToken(Binding.TenantId, Guid.NewGuid())));
        Assert.ThrowsAny<CryptographicException>(() =>
            protector.Unprotect(stored, SecretBinding.AccessToken(Guid.NewGuid(), Binding.ConnectionId)));
        Assert.ThrowsAny<CryptographicException>(() =>
            protector.Unprotect(stored, SecretBinding.RegistrationPin(Binding.TenantId, Binding.ConnectionId)));
    }

    [Fact]
    public void An_altered_ciphertext_is_rejected()
    {
        var protector = Protector("k1", OldKey);
        var stored = protector.Protect(Token, Binding);
        stored[^1] ^= 0x01;

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(stored, Binding));
    }

    [Fact]
    public void The_wrong_key_under_the_same_id_cannot_decrypt()
    {
        var stored = Protector("k1", OldKey).Protect(Token, Binding);

        Assert.ThrowsAny<CryptographicException>(() => Protector("k1", NewKey).Unprotect(stored, Binding));
    }

    [Fact]
    public void After_a_rotation_the_new_key_encrypts_and_the_previous_key_still_decrypts()
    {
        var storedBefore = Protector("k1", OldKey).Protect(Token, Binding);
        var rotated = Protector("k2", NewKey, ("k1", OldKey));

        Assert.Equal(Token, rotated.Unprotect(storedBefore, Binding));
        Assert.True(rotated.NeedsReEncryption(storedBefore));
        var storedAfter = rotated.Protect(Token, Binding);
        Assert.Equal("k2", TokenProtector.KeyIdOf(storedAfter));
        Assert.False(rotated.NeedsReEncryption(storedAfter));
    }

    [Fact]
    public void A_token_whose_key_is_no_longer_configured_fails_with_the_key_id_named()
    {
        var stored = Protector("k1", OldKey).Protect(Token, Binding);

        var error = Assert.ThrowsAny<CryptographicException>(() => Protector("k2", NewKey).Unprotect(stored, Binding));

        Assert.Contains("'k1'", error.Message);
    }

    [Theory]
    [InlineData(null, "TokenProtection:Key is required")]
    [InlineData("not base64!", "TokenProtection:Key must be base64 of exactly 32 bytes")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA==", "TokenProtection:Key must be base64 of exactly 32 bytes")]
    public void Invalid_keys_are_refused_with_the_setting_named(string? key, string expected)
    {
        var result = new TokenProtectionOptionsValidator().Validate(null, new TokenProtectionOptions { Key = key });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    private static TokenProtector Protector(string keyId, string key, params (string Id, string Key)[] previous) =>
        new(Options.Create(new TokenProtectionOptions
        {
            KeyId = keyId,
            Key = key,
            PreviousKeys = previous.ToDictionary(p => p.Id, p => p.Key),
        }));
}
