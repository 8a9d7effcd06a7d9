namespace LeadsPeer.Testing;

/// <summary>Every log category at Trace, as an operator chasing a problem would set it (the hosts' appsettings lower some).</summary>
public static class TraceLogging
{
    public static readonly string[] Categories = ["Default", "Microsoft", "Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "StackExchange.Redis", "System.Net.Http"];

    /// <summary>As configuration keys (<c>:</c>) or environment variables (<c>__</c>); a category's own dots stay.</summary>
    public static Dictionary<string, string> Settings(string separator = ":") =>
        Categories.ToDictionary(category => $"Logging{separator}LogLevel{separator}{category}", _ => "Trace");
}
