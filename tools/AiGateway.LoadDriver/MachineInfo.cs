using System.Runtime.InteropServices;

namespace AiGateway.LoadDriver;

/// <summary>One line describing the machine, for the report.</summary>
internal static class MachineInfo
{
    public static string Describe()
    {
        var cpu = "unknown CPU";
        var memory = "?";
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                cpu = File.ReadLines("/proc/cpuinfo")
                    .FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?
                    .Split(':', 2)[1].Trim() ?? cpu;
            }

            if (File.Exists("/proc/meminfo"))
            {
                var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
                var kb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
                memory = $"{kb / 1024.0 / 1024.0:0.0} GiB";
            }
        }
        catch (IOException)
        {
        }

        return $"{Environment.ProcessorCount} CPUs ({cpu}), {memory} RAM, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}";
    }
}
