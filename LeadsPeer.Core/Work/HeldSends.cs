namespace LeadsPeer.Core.Work;

/// <summary>
/// The sends a Worker run queues (a turn's reply, a reminder), held for that run to send itself
/// as soon as it ends, instead of a hint through Redis and the send consumer's queue: the
/// customer's answer leaves one hop sooner, which is most of a tap's answer time under a burst.
/// Their rows are armed in PostgreSQL as always, so a crash before they go leaves them to the
/// sweeper, as a lost hint would. Off unless the run turns it on (<see cref="Hold"/>): elsewhere
/// (the Api's operator sends) the hint goes through Redis as before. One per scope.
/// </summary>
public sealed class HeldSends
{
    private List<Guid>? _held;

    /// <summary>From now on this scope's sends are held for its run, not dispatched.</summary>
    public void Hold() => _held ??= [];

    /// <summary>Holds the send when this scope holds them; false when it should be dispatched.</summary>
    public bool TryHold(Guid workId)
    {
        if (_held is null)
        {
            return false;
        }

        lock (_held)
        {
            _held.Add(workId);
        }

        return true;
    }

    /// <summary>The sends held so far, once.</summary>
    public IReadOnlyList<Guid> Take()
    {
        if (_held is null)
        {
            return [];
        }

        lock (_held)
        {
            var taken = _held.ToList();
            _held.Clear();
            return taken;
        }
    }
}
