using System.Diagnostics;
using System.Globalization;

namespace AiGateway.LoadDriver.Measurement;

/// <summary>
/// Reads a process's CPU time (/proc/&lt;pid&gt;/stat utime+stime) and memory (/proc/&lt;pid&gt;/status
/// VmRSS, VmHWM) every <c>interval</c> and on demand. Linux only; elsewhere every reading is zero.
/// </summary>
internal sealed class ProcessSampler : IAsyncDisposable
{
    private static readonly long ClockTicks = NativeMethods.ClockTicksPerSecond();

    private readonly int _pid;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private Task? _loop;
    private long _maxRssKb;
    private long _maxPeakRssKb;
    private int _samples;

    public ProcessSampler(int pid, TimeSpan interval)
    {
        _pid = pid;
        _interval = interval;
    }

    /// <summary>Highest VmRSS seen by any reading, kB.</summary>
    public long MaxRssKb
    {
        get
        {
            lock (_gate)
            {
                return _maxRssKb;
            }
        }
    }

    /// <summary>Highest VmHWM seen (the kernel's own peak RSS, which also covers moments between readings), kB.</summary>
    public long PeakRssKb
    {
        get
        {
            lock (_gate)
            {
                return Math.Max(_maxPeakRssKb, _maxRssKb);
            }
        }
    }

    /// <summary>Number of periodic readings taken.</summary>
    public int Samples => Volatile.Read(ref _samples);

    /// <summary>Starts the periodic readings.</summary>
    public void Start() => _loop = Task.Run(LoopAsync);

    /// <summary>Reads the process now (also folded into the maxima). Returns a zero sample when the process is gone.</summary>
    public ProcessSample Read()
    {
        var sample = ReadProc(_pid);
        lock (_gate)
        {
            _maxRssKb = Math.Max(_maxRssKb, sample.RssKb);
            _maxPeakRssKb = Math.Max(_maxPeakRssKb, sample.PeakRssKb);
        }

        return sample;
    }

    /// <summary>CPU used between two readings as a percentage of one core.</summary>
    public static double CpuPercent(ProcessSample from, ProcessSample to)
    {
        var wall = Stopwatch.GetElapsedTime(from.Timestamp, to.Timestamp).TotalSeconds;
        return wall <= 0 ? 0 : (to.CpuSeconds - from.CpuSeconds) / wall * 100.0;
    }

    /// <summary>Reads /proc/&lt;pid&gt;/stat and /proc/&lt;pid&gt;/status once.</summary>
    public static ProcessSample ReadProc(int pid)
    {
        var now = Stopwatch.GetTimestamp();
        if (!OperatingSystem.IsLinux())
        {
            return new ProcessSample(now, 0, 0, 0, 0);
        }

        try
        {
            // Fields after the command name, which is in parentheses and may itself hold spaces.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // fields[0] is field 3 (state): utime is field 14, stime field 15, num_threads field 20.
            var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
            var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
            var threads = int.Parse(fields[17], CultureInfo.InvariantCulture);

            long rss = 0, hwm = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = ParseKb(line);
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    hwm = ParseKb(line);
                }
            }

            return new ProcessSample(now, (utime + stime) / (double)ClockTicks, rss, hwm, threads);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return new ProcessSample(now, 0, 0, 0, 0);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(_interval);
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
        {
            Read();
            Interlocked.Increment(ref _samples);
        }
    }

    private static long ParseKb(string line)
    {
        // "VmRSS:	   12345 kB"
        var span = line.AsSpan(line.IndexOf(':', StringComparison.Ordinal) + 1).Trim();
        var end = span.IndexOf(' ');
        return long.Parse(end < 0 ? span : span[..end], CultureInfo.InvariantCulture);
    }
}
