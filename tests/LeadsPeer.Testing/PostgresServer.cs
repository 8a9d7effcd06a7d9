using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace LeadsPeer.Testing;

/// <summary>
/// A real PostgreSQL 15 server with pgvector, in a temporary folder, on a free loopback port.
/// It can be stopped and started again on the same port and data (for outage tests).
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private readonly string _root;
    private readonly string _dataDirectory;
    private Process? _process;
    private ConcurrentQueue<string> _output = new();

    private readonly bool _durable;

    private PostgresServer(string root, int port, bool durable)
    {
        _root = root;
        _dataDirectory = Path.Combine(root, "data");
        Port = port;
        _durable = durable;
    }

    public int Port { get; }

    private IReadOnlyDictionary<string, string> _settings = new Dictionary<string, string>();

    /// <param name="durable">PostgreSQL's own durable defaults (fsync, synchronous commit), as in production; benchmarks need them.</param>
    /// <param name="settings">More server settings (<c>-c name=value</c>), e.g. a benchmark's memory.</param>
    public static async Task<PostgresServer> StartNewAsync(bool durable = false, IReadOnlyDictionary<string, string>? settings = null)
    {
        var root = Directory.CreateTempSubdirectory("leadspeer-pg-").FullName;
        // The postgres user must be able to reach the data folder inside our temporary folder.
        ServerProcess.MakeTraversable(root);
        var server = new PostgresServer(root, ServerProcess.FreePort(), durable) { _settings = settings ?? new Dictionary<string, string>() };
        Directory.CreateDirectory(server._dataDirectory);
        if (ServerProcess.IsRoot)
        {
            ServerProcess.Run("chown", ["-R", "postgres:postgres", server._dataDirectory], asServiceUser: false);
        }

        ServerProcess.Run(Path.Combine(Bin, "initdb"),
            ["-D", server._dataDirectory, "-U", "postgres", "-E", "UTF8", "--no-locale", "--auth=trust", "--no-sync"],
            asServiceUser: true);
        await server.StartAsync();
        return server;
    }

    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Timeout=5";

    public async Task StartAsync()
    {
        // Durability settings off for tests: test data need not survive a power cut, and tests run faster.
        // Connections: the test classes of one module run at once, each with Api and Worker processes
        // whose pools keep what their busiest moment opened; 200 was once not enough for the Worker module.
        string[] durability = _durable ? [] : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"];
        (_process, _output) = ServerProcess.Start(Path.Combine(Bin, "postgres"),
            ["-D", _dataDirectory, "-p", Port.ToString(), "-h", "127.0.0.1", "-c", "unix_socket_directories=",
             "-c", "max_connections=400", .. durability, .. _settings.SelectMany(s => new[] { "-c", $"{s.Key}={s.Value}" })],
            asServiceUser: true);
        await WaitUntilReadyAsync();
    }

    /// <summary>Fast shutdown (SIGINT): clients are disconnected, as when a database server goes away.</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await ServerProcess.StopAsync(_process, ServerProcess.SigInt, TimeSpan.FromSeconds(15));
            _process.Dispose();
            _process = null;
        }

        NpgsqlConnection.ClearAllPools();
    }

    public async Task ExecuteAsync(string sql, string database = "postgres")
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database) + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString() + ";Pooling=false");
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (deadline.Elapsed < TimeSpan.FromSeconds(30) && _process is { HasExited: false })
            {
                await Task.Delay(100);
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException($"PostgreSQL did not start: {string.Join(Environment.NewLine, _output)}", ex);
            }
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
