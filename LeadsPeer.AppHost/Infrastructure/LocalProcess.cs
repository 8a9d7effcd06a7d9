using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LeadsPeer.AppHost.Infrastructure;

/// <summary>Helpers for running the machine's own servers as AppHost resources.</summary>
internal static class LocalProcess
{
    private const string ServiceUser = "postgres";

    /// <summary>PostgreSQL refuses to run as root; as root we start it as the <c>postgres</c> user.</summary>
    public static bool IsRoot => Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root";

    /// <summary>
    /// The command line that runs <paramref name="program"/>, as the <c>postgres</c> user when we
    /// are root. <c>setpriv</c> execs the program, so the resource's process is the server itself
    /// and stopping the resource stops the server.
    /// </summary>
    public static (string Command, string[] Args) AsServiceUser(string program, params string[] args) =>
        IsRoot
            ? ("setpriv", ["--reuid=" + ServiceUser, "--regid=" + ServiceUser, "--init-groups", "--", program, .. args])
            : (program, args);

    public static void GiveToServiceUser(string directory)
    {
        if (IsRoot)
        {
            Run("chown", ["-R", $"{ServiceUser}:{ServiceUser}", directory]);
        }
    }

    public static void EnsurePortFree(int port, string resourceName, string setting)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
        catch (SocketException)
        {
            // Without this check the server fails to bind and its dependants wait silently.
            throw new InvalidOperationException(
                $"Port {port} for {resourceName} is already in use: stop what listens there (perhaps a {resourceName} left from an earlier run) or set {setting}.");
        }
    }

    public static void Run(string program, IEnumerable<string> args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {error.Trim()} {output.Result.Trim()}");
        }
    }
}
