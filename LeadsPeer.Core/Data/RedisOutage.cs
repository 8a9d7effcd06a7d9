using StackExchange.Redis;

namespace LeadsPeer.Core.Data;

/// <summary>
/// The one Redis failure policy: Redis refused, unreachable or hung is the same outage everywhere.
/// Redis only dispatches work and fans out live events, so every caller treats an outage as
/// "skip the hint": the sweeper re-dispatches from PostgreSQL and screens poll. A hung Redis
/// (a stopped process, a stalled network) does not refuse: commands time out, and StackExchange.Redis
/// throws <see cref="RedisTimeoutException"/>, which is a <see cref="TimeoutException"/>, not a
/// <see cref="RedisException"/> — so a guard for <see cref="RedisException"/> alone lets it through.
/// </summary>
public static class RedisOutage
{
    /// <summary>
    /// How long one Redis command may take before it counts as an outage. Short: a webhook's 200
    /// waits for the hints it sends after its commit (sent together, so one timeout at most).
    /// </summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a request waits for the hints it sends after its commit. The client notices a
    /// timed-out command on its next heartbeat, up to a second late; a webhook's 200 must not wait
    /// for that. Past this the hints finish on their own (each logs its own failure), and the
    /// sweeper and polling make up for any that fail.
    /// </summary>
    public static readonly TimeSpan HintWait = TimeSpan.FromMilliseconds(750);

    /// <summary>Waits for <paramref name="hints"/> at most <see cref="HintWait"/>; false when they were still under way.</summary>
    public static async Task<bool> WaitBrieflyAsync(Task hints)
    {
        try
        {
            // WaitAsync drops its timer as soon as the hints are done: nothing lingers per request.
            await hints.WaitAsync(HintWait);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="exception"/> means Redis is not answering (refused, unreachable, hung).</summary>
    public static bool Is(Exception exception) => exception is RedisException or TimeoutException;
}
