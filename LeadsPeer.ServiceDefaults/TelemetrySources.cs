namespace LeadsPeer.ServiceDefaults;

/// <summary>Names of the telemetry sources that every host exports.</summary>
public static class TelemetrySources
{
    /// <summary>Our own <c>ActivitySource</c>s and <c>Meter</c>s are named <c>LeadsPeer.*</c>.</summary>
    public const string SourcePrefix = "LeadsPeer";

    internal static readonly string[] Sources =
    [
        $"{SourcePrefix}.*",
        // Semantic Kernel and Microsoft.Extensions.AI report model calls, token use and tools.
        "Microsoft.SemanticKernel*",
        "Experimental.Microsoft.Extensions.AI*",
        "Microsoft.Extensions.AI*",
        "Npgsql",
    ];
}
