using System.Security.Cryptography;
using System.Text;
using LeadsPeer.Core.Security;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Core.Privacy;

/// <summary>
/// A keyed hash of an erased message's wamid. Meta redelivers webhooks for days; ingest drops a
/// message whose wamid is here instead of re-creating the customer it came from.
/// </summary>
public sealed class ErasedMessage
{
    public required byte[] Hash { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>
/// A keyed hash of an erased customer (the business number and the customer's WhatsApp id):
/// a message of theirs sent before <see cref="ErasedAt"/> is a late redelivery and is dropped;
/// a message they send afterwards is a new conversation, as they chose to write again.
/// </summary>
public sealed class ErasedCustomer
{
    public required byte[] Hash { get; set; }
    public DateTimeOffset ErasedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>
/// The keyed hashes (HMAC-SHA-256) behind <see cref="ErasedMessage"/> and <see cref="ErasedCustomer"/>.
/// Keyed, because a plain hash of a phone number is reversed by trying every number. The key is
/// derived (HKDF) from the token encryption key, so it lives outside the database; earlier keys
/// still recognise what was erased under them while a rotation is under way.
/// </summary>
public sealed class ErasureKeys
{
    /// <summary>How long an erasure is remembered: longer than Meta keeps redelivering a webhook (up to 7 days).</summary>
    public static readonly TimeSpan Memory = TimeSpan.FromDays(30);

    // Derived on first use: a host started without the key reports it through options validation, not from here.
    private readonly Lazy<byte[][]> _keys;

    public ErasureKeys(IOptions<TokenProtectionOptions> options) =>
        _keys = new(() => [Derive(options.Value.Key), .. options.Value.PreviousKeys.Values.Select(Derive)]);

    public byte[] MessageHash(string wamid) => Hash(_keys.Value[0], "message", wamid);

    public byte[] CustomerHash(string phoneNumberId, string customerKey) => Hash(_keys.Value[0], "customer", $"{phoneNumberId}:{customerKey}");

    /// <summary>Under every configured key (the active one first): what ingest compares with.</summary>
    public byte[][] MessageHashes(string wamid) => [.. _keys.Value.Select(k => Hash(k, "message", wamid))];

    public byte[][] CustomerHashes(string phoneNumberId, string customerKey) => [.. _keys.Value.Select(k => Hash(k, "customer", $"{phoneNumberId}:{customerKey}"))];

    private static byte[] Derive(string? key) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, TokenProtectionOptions.TryDecodeKey(key)
            ?? throw new InvalidOperationException($"{TokenProtectionOptions.Section}:Key is not a valid key."), 32, info: "leadspeer:erasure"u8.ToArray());

    private static byte[] Hash(byte[] key, string purpose, string value) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{purpose}:{value}"));
}
