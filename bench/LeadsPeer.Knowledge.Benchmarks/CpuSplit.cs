using System.Diagnostics;
using System.Globalization;
using LeadsPeer.Testing;

namespace LeadsPeer.Knowledge.Benchmarks;

/// <summary>
/// Where the machine's processor time went during a stretch of a benchmark: the Api, the Worker,
/// this command, and the rest (PostgreSQL's backends and Redis, which run as many processes).
/// Read from <c>/proc/stat</c> and each process's own counters; on a machine without
/// <c>/proc/stat</c> it prints nothing.
/// </summary>
public sealed class CpuSplit
{
    private readonly HostProcess _api;
    private readonly HostProcess _worker;
    private readonly TimeSpan _apiStart;
    private readonly TimeSpan _workerStart;
    private readonly TimeSpan _selfStart;
    private readonly double? _busyStart;

    private CpuSplit(HostProcess api, HostProcess worker)
    {
        _api = api;
        _worker = worker;
        _apiStart = api.ProcessorTime;
        _workerStart = worker.ProcessorTime;
        _selfStart = SelfProcessorTime();
        _busyStart = MachineBusySeconds();
    }

    public static CpuSplit Start(HostProcess api, HostProcess worker) => new(api, worker);

    /// <summary>One line: milliseconds of processor time per <paramref name="unit"/>, by process.</summary>
    public string Describe(int count, string unit)
    {
        var api = (_api.ProcessorTime - _apiStart).TotalMilliseconds / count;
        var worker = (_worker.ProcessorTime - _workerStart).TotalMilliseconds / count;
        var self = (SelfProcessorTime() - _selfStart).TotalMilliseconds / count;
        var line = $"Processor time per {unit}: Worker {worker:0.0} ms, Api {api:0.0} ms, this command {self:0.0} ms";
        if (_busyStart is { } start && MachineBusySeconds() is { } end)
        {
            var total = (end - start) * 1000 / count;
            line += $", PostgreSQL, Redis and the rest {Math.Max(0, total - api - worker - self):0.0} ms; all {total:0.0} ms";
        }

        return line;
    }

    private static TimeSpan SelfProcessorTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>Seconds every core spent doing anything but idling or waiting for the disk.</summary>
    private static double? MachineBusySeconds()
    {
        if (!File.Exists("/proc/stat"))
        {
            return null;
        }

        // "cpu  user nice system idle iowait irq softirq steal ...", in clock ticks (USER_HZ, 100 on Linux).
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7];
        return busy / 100.0;
    }
}
