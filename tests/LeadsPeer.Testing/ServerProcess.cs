using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace LeadsPeer.Testing;

/// <summary>A server process the tests own: started, signalled and stopped by its PID.</summary>
internal static partial class ServerProcess
{
    public const int SigInt = 2;
    public const int SigTerm = 15;

    /// <summary>Freezes a process (it keeps its sockets open and answers nothing): a hung server, not a stopped one.</summary>
    public const int SigStop = 19;

    public const int SigCont = 18;

    public static bool IsRoot => Environment.UserName == "root";

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Starts <paramref name="program"/>, as the <c>postgres</c> user when <paramref name="asServiceUser"/>
    /// and we are root (<c>setpriv</c> execs, so the PID is the server's). Output is kept in a small
    /// ring for failure messages, never echoed into the test log.
    /// </summary>
    public static (Process Process, ConcurrentQueue<string> Output) Start(string program, IEnumerable<string> args, bool asServiceUser)
    {
        var info = asServiceUser && IsRoot
            ? new ProcessStartInfo("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", program, .. args])
            : new ProcessStartInfo(program, args);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;

        var output = new ConcurrentQueue<string>();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => KeepTail(output, e.Data, 50);
        process.ErrorDataReceived += (_, e) => KeepTail(output, e.Data, 50);
        process.Start();
        Record(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, output);
    }

    /// <summary>
    /// Notes a started process's id in the file <c>LEADSPEER_TEST_PIDS</c> names (set by
    /// <c>scripts/test.sh</c>), so a run that crashes leaves the script the exact processes to stop,
    /// and nothing of anyone else's.
    /// </summary>
    public static void Record(Process process)
    {
        if (Environment.GetEnvironmentVariable("LEADSPEER_TEST_PIDS") is { Length: > 0 } file)
        {
            lock (RecordLock)
            {
                File.AppendAllText(file, process.Id + Environment.NewLine);
            }
        }
    }

    private static readonly object RecordLock = new();

    /// <summary>Keeps the last <paramref name="max"/> lines of a process's output for failure messages.</summary>
    public static void KeepTail(ConcurrentQueue<string> lines, string? line, int max)
    {
        if (line is null)
        {
            return;
        }

        lines.Enqueue(line);
        while (lines.Count > max)
        {
            lines.TryDequeue(out _);
        }
    }

    public static void Run(string program, IEnumerable<string> args, bool asServiceUser)
    {
        var (process, output) = Start(program, args, asServiceUser);
        using (process)
        {
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {string.Join(Environment.NewLine, output)}");
            }
        }
    }

    /// <summary>Sends <paramref name="signal"/> to the process, e.g. <see cref="SigStop"/> and <see cref="SigCont"/>.</summary>
    public static void Signal(Process process, int signal)
    {
        if (Kill(process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"Signal {signal} could not be sent to process {process.Id}.");
        }
    }

    /// <summary>Sends a signal and waits; kills the process if it does not exit in time.</summary>
    public static async Task StopAsync(Process process, int signal, TimeSpan timeout)
    {
        if (process.HasExited)
        {
            return;
        }

        _ = Kill(process.Id, signal);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public static void MakeTraversable(string directory)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory,
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupExecute |
                UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
