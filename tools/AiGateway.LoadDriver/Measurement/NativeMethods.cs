using System.Runtime.InteropServices;

namespace AiGateway.LoadDriver.Measurement;

/// <summary>The few libc calls the driver needs on Linux: fine sleeps, SIGTERM, and the clock-tick rate of /proc.</summary>
internal static partial class NativeMethods
{
    private const int ScClkTck = 2;
    private const int SigTerm = 15;

    /// <summary>Sleeps about <paramref name="microseconds"/> (plus the kernel's timer slack, ~50 µs).</summary>
    public static void SleepMicroseconds(int microseconds)
    {
        if (OperatingSystem.IsLinux())
        {
            _ = usleep((uint)Math.Max(1, microseconds));
        }
        else
        {
            Thread.Sleep(Math.Max(1, microseconds / 1000));
        }
    }

    /// <summary>Asks a process to stop (SIGTERM) so it can shut down cleanly; false when it could not be signalled.</summary>
    public static bool Terminate(int pid) => OperatingSystem.IsLinux() && kill(pid, SigTerm) == 0;

    /// <summary>Ticks per second of the times in /proc/&lt;pid&gt;/stat (USER_HZ, normally 100).</summary>
    public static long ClockTicksPerSecond()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 100;
        }

        var ticks = sysconf(ScClkTck);
        return ticks > 0 ? ticks : 100;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int usleep(uint usec);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);

    [LibraryImport("libc", SetLastError = true)]
    private static partial long sysconf(int name);
}
