using LeadsPeer.Worker.Work;

namespace LeadsPeer.Worker.Tests.Work;

/// <summary>
/// The order a consumer runs what it read: tenants take turns, one tenant never holds more than
/// its share of the slots, work in its quiet time waits without a slot, and a row dispatched
/// twice is queued once. The end-to-end figure is the fairness benchmark's
/// (<c>./scripts/bench-knowledge.sh fairness</c>).
/// </summary>
public sealed class TenantFairQueueTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid Busy = Guid.NewGuid();
    private static readonly Guid Quiet = Guid.NewGuid();

    [Fact]
    public void A_tenant_that_wrote_after_a_burst_is_served_next_not_after_the_burst()
    {
        var queue = new TenantFairQueue(tenantConcurrency: 100);
        for (var i = 0; i < 500; i++)
        {
            queue.TryAdd(Work(Busy));
        }

        queue.TryAdd(Work(Quiet));

        var order = Take(queue, 3);

        Assert.Equal([Busy, Quiet, Busy], order.Select(w => w.TenantId));
    }

    [Fact]
    public void A_tenant_holds_at_most_its_share_of_the_slots_and_gets_one_back_when_a_run_ends()
    {
        var queue = new TenantFairQueue(tenantConcurrency: 2);
        for (var i = 0; i < 5; i++)
        {
            queue.TryAdd(Work(Busy));
        }

        Assert.Equal(2, Take(queue, 5).Count);
        Assert.Null(queue.NextDue()); // nothing it may take: the consumer waits for a run to end

        queue.Finished(Busy);

        Assert.Single(Take(queue, 5));
        Assert.Equal(2, queue.Count);
    }

    [Fact]
    public void Work_in_its_quiet_time_waits_without_blocking_its_tenant_s_due_work()
    {
        var queue = new TenantFairQueue(tenantConcurrency: 10);
        var later = Work(Busy, Now.AddSeconds(2));
        var due = Work(Busy, Now.AddSeconds(-1));
        queue.TryAdd(later);
        queue.TryAdd(due);

        Assert.Equal([due], Take(queue, 5));
        Assert.Equal(later.DueAt, queue.NextDue());
        Assert.True(queue.TryTake(Now.AddSeconds(2), out var taken));
        Assert.Equal(later, taken);
    }

    [Fact]
    public void A_row_dispatched_twice_is_queued_once()
    {
        var queue = new TenantFairQueue(tenantConcurrency: 10);
        var work = Work(Busy);

        Assert.True(queue.TryAdd(work));
        Assert.False(queue.TryAdd(work with { EntryId = "2-0" }));
        Assert.Single(Take(queue, 5));
        Assert.True(queue.TryAdd(work)); // once taken, a new dispatch (asked for again) is queued again
    }

    private static QueuedWork Work(Guid tenant, DateTimeOffset? dueAt = null) =>
        new("1-0", Guid.NewGuid(), tenant, dueAt ?? Now.AddSeconds(-1));

    private static List<QueuedWork> Take(TenantFairQueue queue, int most)
    {
        var taken = new List<QueuedWork>();
        while (taken.Count < most && queue.TryTake(Now, out var work))
        {
            taken.Add(work);
        }

        return taken;
    }
}
