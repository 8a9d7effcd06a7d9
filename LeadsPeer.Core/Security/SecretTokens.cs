using System.Security.Cryptography;

namespace LeadsPeer.Core.Security;

/// <summary>
/// Unguessable tokens that stand for a right in a link (an invitation, a calendar feed): 256 random
/// bits, URL-safe. Only their SHA-256 is stored, so a copy of the database opens no link.
/// </summary>
public static class SecretTokens
{
    public static string New() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));
}
