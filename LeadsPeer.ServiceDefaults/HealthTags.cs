namespace LeadsPeer.ServiceDefaults;

/// <summary>Tags that decide which health endpoint runs a check.</summary>
public static class HealthTags
{
    /// <summary>Checks that say the process itself is alive (<c>/alive</c>). Never a dependency.</summary>
    public const string Live = "live";

    /// <summary>Checks that say the process can do its work (<c>/health</c>): stores, migrations.</summary>
    public const string Ready = "ready";
}
