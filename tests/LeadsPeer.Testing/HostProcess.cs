using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace LeadsPeer.Testing;

/// <summary>
/// One of our hosts (Api, Worker, Web) started as its own process from its build output, with an
/// environment that holds only what the test gives it: proof that a host starts on its own.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private HostProcess(Process process, ConcurrentQueue<string> output, Uri address)
    {
        _process = process;
        _output = output;
        Address = address;
    }

    public Uri Address { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The processor time the host has used so far (user and system), for a benchmark's CPU split.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public string Output => string.Join(Environment.NewLine, _output);

    /// <param name="project">The project folder name, e.g. <c>LeadsPeer.Api</c>.</param>
    /// <param name="environmentName">The ASP.NET Core environment.</param>
    /// <param name="settings">Environment variables, e.g. <c>ConnectionStrings__leadspeer</c>.</param>
    /// <param name="keepLines">Lines of output kept (the last ones); a test that reads all of a verbose host's output raises it.</param>
    public static HostProcess Start(string project, string environmentName, IReadOnlyDictionary<string, string> settings, int keepLines = 400)
    {
        var output = Path.Combine(RepositoryRoot.Path, project, "bin", BuildConfiguration, "net10.0");
        var dll = Path.Combine(output, project + ".dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the solution first.");
        }

        var port = ServerProcess.FreePort();
        var info = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = output,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Nothing inherited but what any shell has: no connection strings, secrets or
        // environment name leak in from the test run.
        info.Environment.Clear();
        foreach (var name in new[] { "PATH", "HOME", "DOTNET_ROOT", "TMPDIR", "USER" })
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                info.Environment[name] = value;
            }
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = environmentName;
        info.Environment["DOTNET_ENVIRONMENT"] = environmentName;
        foreach (var (name, value) in settings)
        {
            info.Environment[name] = value;
        }

        var lines = new ConcurrentQueue<string>();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => ServerProcess.KeepTail(lines, e.Data, keepLines);
        process.ErrorDataReceived += (_, e) => ServerProcess.KeepTail(lines, e.Data, keepLines);
        process.Start();
        ServerProcess.Record(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new HostProcess(process, lines, new Uri($"http://127.0.0.1:{port}"));
    }

    /// <summary>Polls <paramref name="path"/> until it answers <paramref name="expected"/>; returns the last response body.</summary>
    public async Task<string> WaitForStatusAsync(string path, HttpStatusCode expected, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        var last = "(no answer)";
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with code {_process.ExitCode}:{Environment.NewLine}{Output}");
            }

            try
            {
                using var response = await http.GetAsync(path);
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                if (response.StatusCode == expected)
                {
                    return await response.Content.ReadAsStringAsync();
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but too slow to answer yet (start-up); poll again.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{path} did not answer {(int)expected} within {timeout.TotalSeconds} s; last: {last}{Environment.NewLine}{Output}");
    }

    /// <summary>A crash: SIGKILL, no shutdown code runs.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

#if DEBUG
    private const string BuildConfiguration = "Debug";
#else
    private const string BuildConfiguration = "Release";
#endif

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            // SIGTERM: a graceful stop, as an orchestrator would ask.
            await ServerProcess.StopAsync(_process, ServerProcess.SigTerm, TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
    }
}
