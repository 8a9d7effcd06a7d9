using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace LeadsPeer.AppHost.Infrastructure;

/// <summary>How PostgreSQL and Redis run: as containers, or as the machine's own processes.</summary>
internal enum InfrastructureMode
{
    Containers,
    Local,
}

internal static class InfrastructureModeDetector
{
    /// <summary>
    /// <c>Infra:Mode</c> = <c>containers</c> or <c>local</c> forces a mode; <c>auto</c> (the default)
    /// probes the container runtime. The probe matters: without a runtime Aspire's containers do
    /// not fail, they sit in "Runtime unhealthy" and every dependant waits forever.
    /// </summary>
    public static InfrastructureMode Resolve(IConfiguration configuration)
    {
        var mode = configuration["Infra:Mode"] ?? "auto";
        return mode.ToLowerInvariant() switch
        {
            "containers" or "container" or "docker" => InfrastructureMode.Containers,
            "local" => InfrastructureMode.Local,
            "auto" => ContainerRuntimeResponds(configuration["ASPIRE_CONTAINER_RUNTIME"] ?? "docker")
                ? InfrastructureMode.Containers
                : InfrastructureMode.Local,
            _ => throw new InvalidOperationException($"Infra:Mode must be auto, containers or local, not '{mode}'."),
        };
    }

    private static bool ContainerRuntimeResponds(string runtime)
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo(runtime, ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (probe is null)
            {
                return false;
            }

            if (!probe.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                probe.Kill(entireProcessTree: true);
                return false;
            }

            return probe.ExitCode == 0;
        }
        catch (Win32Exception)
        {
            // The runtime's client is not installed.
            return false;
        }
    }
}
