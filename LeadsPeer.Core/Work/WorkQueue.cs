using LeadsPeer.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace LeadsPeer.Core.Work;

/// <summary>A work row taken by one run: only the holder of <see cref="LeaseToken"/> can finish it.</summary>
public sealed record WorkLease(Guid Id, Guid TenantId, WorkKind Kind, Guid SubjectId, int Generation, int Attempts, Guid LeaseToken);

/// <summary>Why a work row could not be taken.</summary>
public enum TakeRefusal
{
    /// <summary>Finished, failed, or no longer exists: nothing to do.</summary>
    Finished,

    /// <summary>Not due yet (quiet time, back-off): come back at <c>DueAt</c>.</summary>
    NotDue,

    /// <summary>Another run holds a live lease.</summary>
    Held,
}

/// <summary>
/// The state transitions of work rows, each one conditional update in PostgreSQL, so any number
/// of Workers (and the sweeper) can race for the same row and exactly one run holds it.
/// </summary>
public sealed class WorkQueue(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<(WorkLease? Lease, TakeRefusal Refusal, DateTimeOffset? DueAt)> TryTakeAsync(Guid id, TimeSpan leaseTime, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var token = Guid.NewGuid();
        await using (var take = dataSource.CreateCommand("""
            UPDATE work_items SET state = 'Running', lease_until = @lease_until, lease_token = @token, updated_at = @now
            WHERE id = @id AND due_at <= @now AND (state = 'Pending' OR (state = 'Running' AND lease_until < @now))
            RETURNING tenant_id, kind, subject_id, generation, attempts
            """))
        {
            take.Parameters.AddWithValue("id", id);
            take.Parameters.AddWithValue("now", now);
            take.Parameters.AddWithValue("lease_until", now + leaseTime);
            take.Parameters.AddWithValue("token", token);
            await using var reader = await take.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                var lease = new WorkLease(id, reader.GetGuid(0), Enum.Parse<WorkKind>(reader.GetString(1)), reader.GetGuid(2), reader.GetInt32(3), reader.GetInt32(4), token);
                return (lease, default, null);
            }
        }

        await using var look = dataSource.CreateCommand("SELECT state, due_at, lease_until FROM work_items WHERE id = @id");
        look.Parameters.AddWithValue("id", id);
        await using var row = await look.ExecuteReaderAsync(cancellationToken);
        if (!await row.ReadAsync(cancellationToken))
        {
            return (null, TakeRefusal.Finished, null);
        }

        var state = Enum.Parse<WorkState>(row.GetString(0));
        var dueAt = row.GetFieldValue<DateTimeOffset>(1);
        return state switch
        {
            WorkState.Pending => (null, TakeRefusal.NotDue, dueAt),
            WorkState.Running => (null, TakeRefusal.Held, row.IsDBNull(2) ? null : row.GetFieldValue<DateTimeOffset>(2)),
            _ => (null, TakeRefusal.Finished, null),
        };
    }

    /// <summary>
    /// Ends the run. When the work was asked for again meanwhile (a newer generation: another
    /// message in the turn), the row goes back to pending instead, and true is returned: dispatch it.
    /// </summary>
    public async Task<bool> CompleteAsync(WorkLease lease, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE work_items
            SET state = CASE WHEN generation = @generation THEN 'Done' ELSE 'Pending' END,
                attempts = 0, lease_until = NULL, lease_token = NULL, last_error = NULL, updated_at = @now
            WHERE id = @id AND lease_token = @token
            RETURNING state
            """);
        command.Parameters.AddWithValue("id", lease.Id);
        command.Parameters.AddWithValue("token", lease.LeaseToken);
        command.Parameters.AddWithValue("generation", lease.Generation);
        command.Parameters.AddWithValue("now", time.GetUtcNow());
        return await command.ExecuteScalarAsync(cancellationToken) is "Pending";
    }

    /// <summary>Gives the row back to be run again at <paramref name="dueAt"/>; a failed attempt counts towards the limit, a deferral does not.</summary>
    public async Task RetryLaterAsync(WorkLease lease, DateTimeOffset dueAt, string? error, bool countsAsAttempt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE work_items
            SET state = 'Pending', due_at = @due_at, attempts = attempts + @increment, last_error = @error,
                lease_until = NULL, lease_token = NULL, updated_at = @now
            WHERE id = @id AND lease_token = @token
            """);
        command.Parameters.AddWithValue("id", lease.Id);
        command.Parameters.AddWithValue("token", lease.LeaseToken);
        command.Parameters.AddWithValue("due_at", dueAt);
        command.Parameters.AddWithValue("increment", countsAsAttempt ? 1 : 0);
        command.Parameters.AddWithValue("error", (object?)Truncate(error) ?? DBNull.Value);
        command.Parameters.AddWithValue("now", time.GetUtcNow());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task FailAsync(WorkLease lease, string error, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE work_items SET state = 'Failed', last_error = @error, lease_until = NULL, lease_token = NULL, updated_at = @now
            WHERE id = @id AND lease_token = @token
            """);
        command.Parameters.AddWithValue("id", lease.Id);
        command.Parameters.AddWithValue("token", lease.LeaseToken);
        command.Parameters.AddWithValue("error", Truncate(error)!);
        command.Parameters.AddWithValue("now", time.GetUtcNow());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Asks for work once per <paramref name="dedupeKey"/>: a new row, or the existing one re-armed
    /// (pending again, due at <paramref name="dueAt"/>, its generation moved on so a run under way
    /// leaves it pending). One statement, so concurrent requests meet in one row. Returns its id.
    /// </summary>
    public async Task<Guid> ArmAsync(Guid tenantId, WorkKind kind, Guid subjectId, string dedupeKey, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand();
        return await ArmAsync(command, tenantId, kind, subjectId, dedupeKey, dueAt, cancellationToken);
    }

    /// <summary>The same, inside the unit of work's own transaction, so the work exists exactly when the change that asks for it commits.</summary>
    public async Task<Guid> ArmAsync(LeadsPeerDbContext db, Guid tenantId, WorkKind kind, Guid subjectId, string dedupeKey, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction();
        return await ArmAsync(command, tenantId, kind, subjectId, dedupeKey, dueAt, cancellationToken);
    }

    private async Task<Guid> ArmAsync(NpgsqlCommand command, Guid tenantId, WorkKind kind, Guid subjectId, string dedupeKey, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        command.CommandText = """
            INSERT INTO work_items (id, tenant_id, kind, subject_id, dedupe_key, state, attempts, generation, due_at, created_at, updated_at)
            VALUES (@id, @tenant_id, @kind, @subject_id, @dedupe_key, 'Pending', 0, 0, @due_at, @now, @now)
            ON CONFLICT (kind, dedupe_key) DO UPDATE SET
                generation = work_items.generation + 1,
                due_at = excluded.due_at,
                state = CASE WHEN work_items.state = 'Running' THEN 'Running' ELSE 'Pending' END,
                attempts = CASE WHEN work_items.state = 'Running' THEN work_items.attempts ELSE 0 END,
                last_error = NULL,
                updated_at = excluded.updated_at
            RETURNING id
            """;
        command.Parameters.AddWithValue("id", Guid.CreateVersion7());
        command.Parameters.AddWithValue("tenant_id", tenantId);
        command.Parameters.AddWithValue("kind", kind.ToString());
        command.Parameters.AddWithValue("subject_id", subjectId);
        command.Parameters.AddWithValue("dedupe_key", dedupeKey);
        command.Parameters.AddWithValue("due_at", dueAt);
        command.Parameters.AddWithValue("now", time.GetUtcNow());
        return (Guid)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Unfinished work nobody is running: pending past its due time by more than
    /// <paramref name="grace"/> (its dispatch was lost), or running with an expired lease (its
    /// Worker died). The partial index on unfinished rows keeps this cheap.
    /// </summary>
    public async Task<IReadOnlyList<(WorkKind Kind, Guid Id)>> FindStrandedAsync(TimeSpan grace, int limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var command = dataSource.CreateCommand("""
            SELECT kind, id FROM work_items
            WHERE state IN ('Pending', 'Running')
              AND ((state = 'Pending' AND due_at <= @overdue) OR (state = 'Running' AND lease_until < @now))
            ORDER BY due_at
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("overdue", now - grace);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("limit", limit);
        var stranded = new List<(WorkKind, Guid)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            stranded.Add((Enum.Parse<WorkKind>(reader.GetString(0)), reader.GetGuid(1)));
        }

        return stranded;
    }

    private static string? Truncate(string? error) => error is { Length: > 1000 } ? error[..1000] : error;
}
