using System.Diagnostics;

namespace LeadsPeer.Testing;

/// <summary>Waits for a positive marker (a row, a count, a state) instead of sleeping a fixed time.</summary>
public static class Eventually
{
    /// <summary>Asks <paramref name="condition"/> every 50 ms until it holds; fails with <paramref name="what"/> after <paramref name="within"/> (20 s).</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var limit = within ?? TimeSpan.FromSeconds(20);
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed >= limit)
            {
                throw new TimeoutException($"Not within {limit.TotalSeconds:0} s: {what}");
            }

            await Task.Delay(50);
        }
    }
}
