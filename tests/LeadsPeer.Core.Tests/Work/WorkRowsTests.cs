using LeadsPeer.Core.Data;
using LeadsPeer.Core.Work;
using LeadsPeer.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LeadsPeer.Core.Tests.Work;

/// <summary>Leases on real PostgreSQL: attempts counted when taken, renewed while a run works, lost to a newer run.</summary>
public sealed class WorkRowsTests(TestStores stores)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_run_that_never_ends_still_counts_as_an_attempt_and_a_deferral_does_not()
    {
        var (rows, db, id) = await ArmAsync();

        var first = (await rows.TryTakeAsync(id, Lease, Ct)).Lease!;
        // Its Worker died: nothing recorded the end of the run. The lease expires; another run takes it.
        _clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var second = (await rows.TryTakeAsync(id, Lease, Ct)).Lease!;

        Assert.Equal(0, first.Attempts);
        Assert.Equal(1, second.Attempts);
        Assert.Equal(2, await db.ScalarAsync<int>("SELECT attempts FROM work_items WHERE id = $1", id));

        await rows.RetryLaterAsync(second, _clock.GetUtcNow(), "Paced by Meta's rate limits", countsAsAttempt: false, Ct);
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT attempts FROM work_items WHERE id = $1", id));
        var third = (await rows.TryTakeAsync(id, Lease, Ct)).Lease!;
        await rows.RetryLaterAsync(third, _clock.GetUtcNow(), "Graph error 131000", countsAsAttempt: true, Ct);
        Assert.Equal(2, await db.ScalarAsync<int>("SELECT attempts FROM work_items WHERE id = $1", id));
    }

    [Fact]
    public async Task A_renewed_lease_keeps_the_row_from_other_runs_and_a_lost_one_cannot_be_renewed()
    {
        var (rows, db, id) = await ArmAsync();
        var run = (await rows.TryTakeAsync(id, Lease, Ct)).Lease!;

        // Most of a lease later the run is still working: it renews, and another run cannot take the row.
        _clock.Advance(TimeSpan.FromSeconds(50));
        Assert.True(await rows.RenewAsync(run, Lease, Ct));
        _clock.Advance(TimeSpan.FromSeconds(50));
        var (other, refusal, _) = await rows.TryTakeAsync(id, Lease, Ct);
        Assert.Null(other);
        Assert.Equal(TakeRefusal.Held, refusal);

        // Without renewing, the lease runs out and another run takes the row: the first has lost it.
        _clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var newer = (await rows.TryTakeAsync(id, Lease, Ct)).Lease!;
        Assert.False(await rows.RenewAsync(run, Lease, Ct));
        Assert.True(await rows.RenewAsync(newer, Lease, Ct));
        Assert.Equal(newer.LeaseToken, await db.ScalarAsync<Guid>("SELECT lease_token FROM work_items WHERE id = $1", id));
    }

    private async Task<(WorkRows Rows, Db Db, Guid Id)> ArmAsync()
    {
        var connectionString = await stores.CreateMigratedDatabaseAsync();
        var dataSource = DataExtensions.BuildDataSource(connectionString);
        var rows = new WorkRows(dataSource, _clock);
        var db = new Db(connectionString);
        var tenant = Guid.NewGuid();
        await db.ExecuteAsync("INSERT INTO organizations (id, name, created_at) VALUES ($1, 'Lease Test', now())", tenant);
        var id = await rows.ArmAsync(WorkRequest.IndexDocument(tenant, Guid.NewGuid(), _clock.GetUtcNow()), Ct);
        return (rows, db, id!.Value);
    }
}
