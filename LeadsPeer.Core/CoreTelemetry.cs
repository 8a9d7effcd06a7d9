using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LeadsPeer.Core;

/// <summary>
/// Leads Peer's own traces and metrics. The name falls under the <c>LeadsPeer.*</c> sources that
/// ServiceDefaults exports, so every host reports them to the Aspire dashboard.
/// </summary>
public static class CoreTelemetry
{
    public const string Name = "LeadsPeer.Core";

    public static readonly ActivitySource Source = new(Name);

    internal static readonly Meter Meter = new(Name);

    public static readonly Counter<int> MigrationsApplied =
        Meter.CreateCounter<int>("leadspeer.database.migrations_applied", description: "Schema migrations applied at start-up.");
}
