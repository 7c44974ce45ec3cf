namespace AiGateway.LoadDriver;

/// <summary>One measured run: one server, one load setting.</summary>
internal sealed record RunResult
{
    public required string Target { get; init; }

    /// <summary>"rate" or "flat".</summary>
    public required string Mode { get; init; }

    /// <summary>Offered rate (req/s) for rate runs, concurrency for flat runs.</summary>
    public required double Load { get; init; }

    public string? Label { get; init; }

    public double DurationSeconds { get; init; }

    public double WarmupSeconds { get; init; }

    public int Connections { get; init; }

    public string? ServerCpus { get; init; }

    public long Requests { get; init; }

    public double Throughput { get; init; }

    public double P50Ms { get; init; }

    public double P90Ms { get; init; }

    public double P99Ms { get; init; }

    public double P999Ms { get; init; }

    public double MaxMs { get; init; }

    public double MeanMs { get; init; }

    /// <summary>Open loop: p99 of how late the driver itself started requests (included in the latencies).</summary>
    public double StartLagP99Ms { get; init; }

    public long Errors { get; init; }

    public long WarmupErrors { get; init; }

    public IReadOnlyDictionary<string, int> ErrorKinds { get; init; } = new Dictionary<string, int>();

    /// <summary>Server CPU over the window, % of one core.</summary>
    public double ServerCpuPercent { get; init; }

    /// <summary>Server CPU time per completed request in the window, µs (less sensitive to a noisy machine than latency).</summary>
    public double ServerCpuMicrosPerRequest { get; init; }

    /// <summary>Server peak RSS (VmHWM, whole life of the process), MB.</summary>
    public double ServerPeakRssMb { get; init; }

    /// <summary>Server RSS at the end of the window, MB.</summary>
    public double ServerEndRssMb { get; init; }

    public int ServerThreads { get; init; }

    /// <summary>Lines the server printed (stdout + stderr) over its life.</summary>
    public long ServerOutputLines { get; init; }

    /// <summary>The driver's own CPU over the window, % of one core (it shares the machine with the server).</summary>
    public double DriverCpuPercent { get; init; }

    /// <summary>CPU used by everything else on the machine during the window, % of one core (should be near 0 for a clean run).</summary>
    public double OtherCpuPercent { get; init; }

    /// <summary>Rate runs: throughput within 2% of the offered rate, no errors, p99 within the SLO.</summary>
    public bool? Sustainable { get; init; }

    public string? Failure { get; init; }

    public DateTimeOffset FinishedAt { get; init; }

    public string? Machine { get; init; }
}
