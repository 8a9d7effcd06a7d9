namespace LeadsPeer.Testing;

public static class Percentiles
{
    /// <summary>The nearest-rank <paramref name="p"/>th percentile (0–100) of <paramref name="values"/>; NaN for none.</summary>
    public static double Of(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0
            ? double.NaN
            : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
