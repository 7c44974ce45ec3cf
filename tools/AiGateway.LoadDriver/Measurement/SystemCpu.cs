using System.Globalization;

namespace AiGateway.LoadDriver.Measurement;

/// <summary>Machine-wide CPU time from /proc/stat, to see how much of the machine something else used during a run.</summary>
internal readonly record struct SystemCpu(long BusyTicks, long TotalTicks)
{
    /// <summary>Reads the aggregate "cpu" line of /proc/stat; zero elsewhere than Linux.</summary>
    public static SystemCpu Read()
    {
        if (!OperatingSystem.IsLinux())
        {
            return default;
        }

        try
        {
            var line = File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal));
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var total = fields.Sum();
            var idle = fields[3] + fields[4]; // idle + iowait
            return new SystemCpu(total - idle, total);
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidOperationException or IndexOutOfRangeException)
        {
            return default;
        }
    }

    /// <summary>Busy time between two readings as a percentage of one core (all cores busy = 100 × cores).</summary>
    public static double BusyPercent(SystemCpu from, SystemCpu to)
    {
        var total = to.TotalTicks - from.TotalTicks;
        return total <= 0 ? 0 : (to.BusyTicks - from.BusyTicks) / (double)total * Environment.ProcessorCount * 100.0;
    }
}
