using StackExchange.Redis;

namespace LeadsPeer.Worker.Work;

/// <summary>One stream entry waiting to run: its work row, the row's tenant and when it falls due.</summary>
public sealed record QueuedWork(RedisValue EntryId, Guid WorkId, Guid TenantId, DateTimeOffset DueAt);

/// <summary>
/// The stream entries a consumer has read and not yet started, one queue per tenant, taken in
/// turn: a tenant whose 500 customers write at once waits behind itself, not in front of another
/// tenant's one message. Each tenant's queue is ordered by due time, so work still in its quiet
/// time waits here without holding a run slot, and a tenant may hold at most
/// <see cref="WorkOptions.TenantConcurrency"/> of the slots, so a newcomer always finds one soon.
/// Shared between the consumer's loop and the runs it starts, hence the lock.
/// </summary>
public sealed class TenantFairQueue(int tenantConcurrency)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, PriorityQueue<QueuedWork, DateTimeOffset>> _waiting = [];
    private readonly Dictionary<Guid, int> _running = [];
    private readonly HashSet<Guid> _queuedIds = [];

    // Tenants in the order they are served; the one served last goes to the back.
    private readonly LinkedList<Guid> _turns = [];

    /// <summary>Entries read and not started.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queuedIds.Count;
            }
        }
    }

    /// <summary>Queues an entry; false when its row is already queued (a second dispatch of it), which then needs no run of its own.</summary>
    public bool TryAdd(QueuedWork work)
    {
        lock (_lock)
        {
            if (!_queuedIds.Add(work.WorkId))
            {
                return false;
            }

            if (!_waiting.TryGetValue(work.TenantId, out var queue))
            {
                _waiting[work.TenantId] = queue = new PriorityQueue<QueuedWork, DateTimeOffset>();
                _turns.AddLast(work.TenantId);
            }

            queue.Enqueue(work, work.DueAt);
            return true;
        }
    }

    /// <summary>
    /// The next entry to run: the first tenant in turn that has one due and a slot of its share
    /// left. The tenant goes to the back of the turns and counts one run more until <see cref="Finished"/>.
    /// </summary>
    public bool TryTake(DateTimeOffset now, out QueuedWork work)
    {
        lock (_lock)
        {
            for (var turn = _turns.First; turn is not null; turn = turn.Next)
            {
                var tenant = turn.Value;
                var queue = _waiting[tenant];
                if (_running.GetValueOrDefault(tenant) >= tenantConcurrency || !queue.TryPeek(out var head, out var due) || due > now)
                {
                    continue;
                }

                queue.Dequeue();
                _queuedIds.Remove(head.WorkId);
                _running[tenant] = _running.GetValueOrDefault(tenant) + 1;
                _turns.Remove(turn);
                if (queue.Count > 0)
                {
                    _turns.AddLast(tenant);
                }
                else
                {
                    _waiting.Remove(tenant);
                }

                work = head;
                return true;
            }

            work = null!;
            return false;
        }
    }

    /// <summary>A run taken from here ended: its tenant's slot is free again.</summary>
    public void Finished(Guid tenantId)
    {
        lock (_lock)
        {
            if (_running.TryGetValue(tenantId, out var running) && running > 1)
            {
                _running[tenantId] = running - 1;
            }
            else
            {
                _running.Remove(tenantId);
            }
        }
    }

    /// <summary>
    /// When the earliest entry that could be taken falls due, so the consumer sleeps until then;
    /// null when none is queued for a tenant with a slot of its share left (the next run to end wakes it).
    /// </summary>
    public DateTimeOffset? NextDue()
    {
        lock (_lock)
        {
            DateTimeOffset? next = null;
            foreach (var (tenant, queue) in _waiting)
            {
                if (_running.GetValueOrDefault(tenant) < tenantConcurrency && queue.TryPeek(out _, out var due) && (next is null || due < next))
                {
                    next = due;
                }
            }

            return next;
        }
    }
}
