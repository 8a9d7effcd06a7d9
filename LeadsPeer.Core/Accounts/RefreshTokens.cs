using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using LeadsPeer.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Core.Accounts;

/// <summary>
/// One refresh token of the Api's bearer sign-in. Only a SHA-256 hash of the token is kept. A
/// sign-in starts a family; each refresh uses its token once and adds the next to the family,
/// so a stolen token used after its owner has moved on is recognised and ends the family.
/// </summary>
public sealed class RefreshToken
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid UserId { get; init; }

    public Guid FamilyId { get; init; }

    public required byte[] TokenHash { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset? UsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}

public sealed class RefreshTokenOptions
{
    public const string Section = "Auth";

    /// <summary>How long an access token works. Short, because it cannot be revoked: signing out ends its refresh token, and with it the session, within this time.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a refresh token can be used; each refresh issues the next one with a full lifetime.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// How long after its first use a token is still honoured: two tabs (or a retry after a lost
    /// answer) refreshing with the same token at once are one person, not a theft.
    /// </summary>
    public TimeSpan ReuseGrace { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>What a refresh found: the person and the next token, or why it was refused.</summary>
public abstract record RefreshOutcome
{
    public sealed record Rotated(Guid UserId, string RefreshToken) : RefreshOutcome;

    public sealed record Refused(string Reason) : RefreshOutcome;
}

/// <summary>
/// The one owner of refresh tokens: issued at sign-in, rotated on use (one row lock decides a
/// race), the whole family revoked when a used token comes back after the grace period, at
/// sign-out, and for every family of a person whose password is reset.
/// </summary>
public sealed class RefreshTokens(LeadsPeerDbContext db, IOptions<RefreshTokenOptions> options, TimeProvider time)
{
    public async Task<string> IssueAsync(Guid userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Expired rows of this person are of no use to anyone: cleared as new ones are made.
        await db.RefreshTokens.Where(t => t.UserId == userId && t.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        var (token, row) = NewToken(userId, Guid.CreateVersion7(), now);
        db.RefreshTokens.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    public async Task<RefreshOutcome> RotateAsync(string? token, CancellationToken cancellationToken)
    {
        if (Hash(token) is not { } hash)
        {
            return new RefreshOutcome.Refused("not a refresh token");
        }

        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var row = await db.RefreshTokens
            .FromSql($"SELECT * FROM refresh_tokens WHERE token_hash = {hash} FOR UPDATE")
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null || row.RevokedAt is not null || row.ExpiresAt <= now)
        {
            return new RefreshOutcome.Refused(row is null ? "unknown" : row.RevokedAt is not null ? "revoked" : "expired");
        }

        if (row.UsedAt is { } usedAt && now - usedAt > options.Value.ReuseGrace)
        {
            // Used before, long enough ago that its owner has the next one: whoever holds this copy
            // should not. Every token of the family stops working; the person signs in again.
            await RevokeFamilyAsync(row.FamilyId, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new RefreshOutcome.Refused("reused");
        }

        row.UsedAt ??= now;
        var (next, nextRow) = NewToken(row.UserId, row.FamilyId, now);
        db.RefreshTokens.Add(nextRow);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RefreshOutcome.Rotated(row.UserId, next);
    }

    /// <summary>Signing out: the token's family ends (the person's other sign-ins go on). Unknown tokens are ignored.</summary>
    public async Task RevokeAsync(string? token, CancellationToken cancellationToken)
    {
        if (Hash(token) is { } hash
            && await db.RefreshTokens.Where(t => t.TokenHash == hash).Select(t => (Guid?)t.FamilyId).SingleOrDefaultAsync(cancellationToken) is { } family)
        {
            await RevokeFamilyAsync(family, time.GetUtcNow(), cancellationToken);
        }
    }

    /// <summary>Every sign-in of the person ends (a password reset): their refresh tokens stop working at once.</summary>
    public Task RevokeAllAsync(Guid userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return db.RefreshTokens.Where(t => t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
    }

    private Task RevokeFamilyAsync(Guid familyId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.RefreshTokens.Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);

    private (string Token, RefreshToken Row) NewToken(Guid userId, Guid familyId, DateTimeOffset now)
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (token, new RefreshToken
        {
            UserId = userId,
            FamilyId = familyId,
            TokenHash = Hash(token)!,
            CreatedAt = now,
            ExpiresAt = now + options.Value.RefreshTokenLifetime,
        });
    }

    /// <summary>A token is 32 random bytes, so a plain SHA-256 is enough: nothing to guess, nothing to salt.</summary>
    private static byte[]? Hash(string? token) =>
        string.IsNullOrEmpty(token) || token.Length > 100 ? null : SHA256.HashData(Encoding.ASCII.GetBytes(token));
}
