using System.Collections.Concurrent;
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
/// The one owner of work rows in PostgreSQL (the truth; <see cref="WorkStreams"/> only tells
/// Workers to look): created or re-armed through <see cref="WorkSql.Arm"/>, then taken, finished,
/// retried or failed — each one conditional update, so any number of Workers (and the sweeper)
/// can race for the same row and exactly one run holds it.
/// </summary>
public sealed class WorkRows(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>
    /// Takes the row for one run. The attempt is counted here, when the run starts, not when it
    /// ends: a run that never ends (its process killed by what it was doing) still counts, so
    /// such work reaches the give-up limit instead of being retried for ever. The lease's
    /// <see cref="WorkLease.Attempts"/> is the number of runs before this one.
    /// </summary>
    public async Task<(WorkLease? Lease, TakeRefusal Refusal, DateTimeOffset? DueAt)> TryTakeAsync(Guid id, TimeSpan leaseTime, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var token = Guid.NewGuid();
        await using (var take = dataSource.CreateCommand("""
            UPDATE work_items SET state = 'Running', attempts = attempts + 1, lease_until = @lease_until, lease_token = @token, updated_at = @now
            WHERE id = @id AND due_at <= @now AND (state = 'Pending' OR (state = 'Running' AND lease_until < @now))
            RETURNING tenant_id, kind, subject_id, generation, attempts - 1
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
    /// The tenant and due time of each unfinished row among <paramref name="ids"/> (one query for
    /// a batch of stream entries), so a consumer can queue them per tenant before taking any;
    /// finished or deleted rows are absent.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, (Guid TenantId, DateTimeOffset DueAt)>> PeekAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, tenant_id, due_at FROM work_items WHERE id = ANY(@ids) AND state IN ('Pending', 'Running')");
        command.Parameters.AddWithValue("ids", ids.ToArray());
        var found = new Dictionary<Guid, (Guid, DateTimeOffset)>(ids.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found[reader.GetGuid(0)] = (reader.GetGuid(1), reader.GetFieldValue<DateTimeOffset>(2));
        }

        return found;
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

    /// <summary>
    /// Extends the run's lease while it works (a heartbeat), so a run longer than one lease is not
    /// taken over by another Worker. False when the lease is no longer this run's: another run
    /// took the row, and this one must stop.
    /// </summary>
    public async Task<bool> RenewAsync(WorkLease lease, TimeSpan leaseTime, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE work_items SET lease_until = @lease_until, updated_at = @now
            WHERE id = @id AND tenant_id = @tenant_id AND lease_token = @token AND state = 'Running'
            """);
        var now = time.GetUtcNow();
        command.Parameters.AddWithValue("id", lease.Id);
        command.Parameters.AddWithValue("tenant_id", lease.TenantId);
        command.Parameters.AddWithValue("token", lease.LeaseToken);
        command.Parameters.AddWithValue("lease_until", now + leaseTime);
        command.Parameters.AddWithValue("now", now);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>Gives the row back to be run again at <paramref name="dueAt"/>; a failed attempt counts towards the limit (it was counted when taken), a deferral does not.</summary>
    public async Task RetryLaterAsync(WorkLease lease, DateTimeOffset dueAt, string? error, bool countsAsAttempt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE work_items
            SET state = 'Pending', due_at = @due_at, attempts = greatest(attempts - @refund, 0), last_error = @error,
                lease_until = NULL, lease_token = NULL, updated_at = @now
            WHERE id = @id AND lease_token = @token
            """);
        command.Parameters.AddWithValue("id", lease.Id);
        command.Parameters.AddWithValue("token", lease.LeaseToken);
        command.Parameters.AddWithValue("due_at", dueAt);
        command.Parameters.AddWithValue("refund", countsAsAttempt ? 0 : 1);
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
    /// Asks for work once per kind and subject: a new row, or the existing one as
    /// <see cref="WorkRequest.AskedAgain"/> says. One statement, so concurrent requests meet in one
    /// row. Returns its id, or null when the work was already recorded and is kept as it is.
    /// </summary>
    public async Task<Guid?> ArmAsync(WorkRequest request, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand();
        return await ArmAsync(command, request, cancellationToken);
    }

    /// <summary>The same, inside the unit of work's own transaction, so the work exists exactly when the change that asks for it commits.</summary>
    public async Task<Guid?> ArmAsync(LeadsPeerDbContext db, WorkRequest request, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction();
        return await ArmAsync(command, request, cancellationToken);
    }

    // A handful of (kind, mode) pairs: each statement is written once.
    private static readonly ConcurrentDictionary<(WorkKind Kind, WhenAskedAgain AskedAgain), string> ArmStatements = new();

    private async Task<Guid?> ArmAsync(NpgsqlCommand command, WorkRequest request, CancellationToken cancellationToken)
    {
        command.CommandText = ArmStatements.GetOrAdd((request.Kind, request.AskedAgain),
            key => WorkSql.Arm(key.Kind, key.AskedAgain, "@id", "@tenant_id", "@subject_id", "@due_at", "@now"));
        command.Parameters.AddWithValue("id", Guid.CreateVersion7());
        command.Parameters.AddWithValue("tenant_id", request.TenantId);
        command.Parameters.AddWithValue("subject_id", request.SubjectId);
        command.Parameters.AddWithValue("due_at", request.DueAt);
        command.Parameters.AddWithValue("now", time.GetUtcNow());
        return await command.ExecuteScalarAsync(cancellationToken) as Guid?;
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
