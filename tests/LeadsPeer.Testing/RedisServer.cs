using System.Diagnostics;
using System.Net.Sockets;
using Process = System.Diagnostics.Process;

namespace LeadsPeer.Testing;

/// <summary>A real <c>redis-server</c> on a free loopback port; stoppable and restartable for outage tests.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _root;
    private Process? _process;

    private RedisServer(string root, int port)
    {
        _root = root;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartNewAsync()
    {
        var server = new RedisServer(Directory.CreateTempSubdirectory("leadspeer-redis-").FullName, ServerProcess.FreePort());
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        (_process, var output) = ServerProcess.Start("redis-server",
            ["--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", _root, "--save", "", "--appendonly", "no"],
            asServiceUser: false);

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(15) && !_process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (SocketException ex)
            {
                throw new InvalidOperationException($"Redis did not start: {string.Join(Environment.NewLine, output)}", ex);
            }
        }
    }

    /// <summary>Freezes the server (SIGSTOP): connections stay open and nothing answers, as when Redis hangs.</summary>
    public void Freeze() => ServerProcess.Signal(_process ?? throw new InvalidOperationException("Redis is not running."), ServerProcess.SigStop);

    /// <summary>Lets a frozen server run again (SIGCONT).</summary>
    public void Thaw() => ServerProcess.Signal(_process ?? throw new InvalidOperationException("Redis is not running."), ServerProcess.SigCont);

    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await ServerProcess.StopAsync(_process, ServerProcess.SigTerm, TimeSpan.FromSeconds(10));
            _process.Dispose();
            _process = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
    }
}
