using Npgsql;
using NpgsqlTypes;

namespace LeadsPeer.Core.Idempotency;

/// <summary>The first answer to a keyed request, as it is replayed.</summary>
public sealed record StoredAnswer(int StatusCode, string? ContentType, string? Location, byte[] Body);

/// <summary>What a request with an <c>Idempotency-Key</c> may do.</summary>
public enum ReservationKind
{
    /// <summary>The key is new (or its previous use expired): run the request, then complete or release it.</summary>
    Reserved,

    /// <summary>The key already answered this request: replay <see cref="Reservation.Answer"/>.</summary>
    Answered,

    /// <summary>The key's first request is still running.</summary>
    InProgress,

    /// <summary>The key's first request stopped without an answer (its process ended): its outcome is unknown, so it is never run again under this key.</summary>
    Interrupted,

    /// <summary>The key was used for another request (route or body).</summary>
    Mismatch,
}

public sealed record Reservation(ReservationKind Kind, StoredAnswer? Answer = null);

public sealed class IdempotencyOptions
{
    public const string Section = "Idempotency";

    /// <summary>How long a key's answer is kept for retries (clients retry within minutes; a day covers an outage).</summary>
    public TimeSpan KeyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A reservation without an answer this old belongs to a request that was interrupted, not one still running.</summary>
    public TimeSpan InterruptedAfter { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>
/// The one owner of idempotency keys: reserve (a conditional insert, so two concurrent requests
/// with one key never both run), then complete with the answer or release when nothing was done.
/// Keys are per organisation and expire; the Worker's housekeeping purges expired ones.
/// </summary>
public sealed class IdempotencyKeys(NpgsqlDataSource dataSource, TimeProvider time, Microsoft.Extensions.Options.IOptions<IdempotencyOptions> options)
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = 255;

    /// <summary>Stored as the status of a request that broke off: never an HTTP status.</summary>
    private const int InterruptedStatus = 0;

    /// <summary>1–255 visible ASCII characters: what clients send (UUIDs, ULIDs, hashes) and nothing a log or header could be confused by.</summary>
    public static bool IsValidKey(string? key) =>
        key is { Length: > 0 and <= MaxKeyLength } && key.All(c => c is >= '!' and <= '~');

    public async Task<Reservation> ReserveAsync(Guid tenantId, string key, string fingerprint, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using (var reserve = dataSource.CreateCommand("""
            INSERT INTO idempotency_keys (tenant_id, key, fingerprint, created_at, expires_at)
            VALUES (@tenant, @key, @fingerprint, @now, @expires)
            ON CONFLICT (tenant_id, key) DO UPDATE
                SET fingerprint = excluded.fingerprint, created_at = excluded.created_at, expires_at = excluded.expires_at,
                    status_code = NULL, content_type = NULL, location = NULL, body = NULL
                WHERE idempotency_keys.expires_at <= @now
            """))
        {
            reserve.Parameters.AddWithValue("tenant", tenantId);
            reserve.Parameters.AddWithValue("key", key);
            reserve.Parameters.AddWithValue("fingerprint", fingerprint);
            reserve.Parameters.AddWithValue("now", now);
            reserve.Parameters.AddWithValue("expires", now + options.Value.KeyLifetime);
            if (await reserve.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                return new Reservation(ReservationKind.Reserved);
            }
        }

        await using var read = dataSource.CreateCommand("""
            SELECT fingerprint, status_code, content_type, location, body, created_at FROM idempotency_keys
            WHERE tenant_id = @tenant AND key = @key
            """);
        read.Parameters.AddWithValue("tenant", tenantId);
        read.Parameters.AddWithValue("key", key);
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            // Purged between the two statements: the key is free again.
            await reader.DisposeAsync();
            return await ReserveAsync(tenantId, key, fingerprint, cancellationToken);
        }

        if (reader.GetString(0) != fingerprint)
        {
            return new Reservation(ReservationKind.Mismatch);
        }

        if (reader.IsDBNull(1))
        {
            var startedAt = reader.GetFieldValue<DateTimeOffset>(5);
            return new Reservation(now - startedAt >= options.Value.InterruptedAfter ? ReservationKind.Interrupted : ReservationKind.InProgress);
        }

        if (reader.GetInt32(1) == InterruptedStatus)
        {
            return new Reservation(ReservationKind.Interrupted);
        }

        return new Reservation(ReservationKind.Answered, new StoredAnswer(
            reader.GetInt32(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.IsDBNull(4) ? [] : reader.GetFieldValue<byte[]>(4)));
    }

    /// <summary>Keeps the first answer for the key's lifetime.</summary>
    public async Task CompleteAsync(Guid tenantId, string key, StoredAnswer answer, CancellationToken cancellationToken)
    {
        await using var complete = dataSource.CreateCommand("""
            UPDATE idempotency_keys SET status_code = @status, content_type = @content_type, location = @location, body = @body
            WHERE tenant_id = @tenant AND key = @key AND status_code IS NULL
            """);
        complete.Parameters.AddWithValue("tenant", tenantId);
        complete.Parameters.AddWithValue("key", key);
        complete.Parameters.AddWithValue("status", answer.StatusCode);
        complete.Parameters.Add(new NpgsqlParameter("content_type", NpgsqlDbType.Varchar) { Value = (object?)answer.ContentType ?? DBNull.Value });
        complete.Parameters.Add(new NpgsqlParameter("location", NpgsqlDbType.Varchar) { Value = (object?)answer.Location ?? DBNull.Value });
        complete.Parameters.AddWithValue("body", answer.Body);
        await complete.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The request broke off (an exception) after it may have done its work: the key stays, marked without an answer for good.</summary>
    public async Task AbandonAsync(Guid tenantId, string key, CancellationToken cancellationToken)
    {
        await using var abandon = dataSource.CreateCommand(
            "UPDATE idempotency_keys SET status_code = @interrupted WHERE tenant_id = @tenant AND key = @key AND status_code IS NULL");
        abandon.Parameters.AddWithValue("tenant", tenantId);
        abandon.Parameters.AddWithValue("key", key);
        abandon.Parameters.AddWithValue("interrupted", InterruptedStatus);
        await abandon.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The request was refused and changed nothing: the key is free for a corrected retry.</summary>
    public async Task ReleaseAsync(Guid tenantId, string key, CancellationToken cancellationToken)
    {
        await using var release = dataSource.CreateCommand("DELETE FROM idempotency_keys WHERE tenant_id = @tenant AND key = @key AND status_code IS NULL");
        release.Parameters.AddWithValue("tenant", tenantId);
        release.Parameters.AddWithValue("key", key);
        await release.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Deletes expired keys of every organisation, a batch at a time; returns how many went.</summary>
    public async Task<int> PurgeExpiredAsync(int batchSize, CancellationToken cancellationToken)
    {
        await using var purge = dataSource.CreateCommand("""
            DELETE FROM idempotency_keys WHERE (tenant_id, key) IN (
                SELECT tenant_id, key FROM idempotency_keys WHERE expires_at <= @now ORDER BY expires_at LIMIT @batch)
            """);
        purge.Parameters.AddWithValue("now", time.GetUtcNow());
        purge.Parameters.AddWithValue("batch", batchSize);
        return await purge.ExecuteNonQueryAsync(cancellationToken);
    }
}
