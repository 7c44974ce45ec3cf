using System.Collections.Concurrent;

namespace AiGateway.LoadDriver.Measurement;

/// <summary>What one load phase measured (only requests that started inside the measurement window).</summary>
internal sealed class LoadStats
{
    /// <summary>Latency of each measured request: scheduled start (open loop) or actual start (flat out) to its last reply, ns.</summary>
    public LatencyHistogram Latency { get; } = new();

    /// <summary>Open loop only: how late the driver started each request against its schedule, ns (driver-side delay, included in Latency).</summary>
    public LatencyHistogram StartLag { get; } = new();

    /// <summary>Failed measured requests by kind.</summary>
    public ConcurrentDictionary<string, int> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>Requests completed (successfully) whose last reply fell inside the window: the throughput numerator.</summary>
    public long CompletedInWindow;

    /// <summary>Requests started in the window (scheduled, for open loop).</summary>
    public long Started;

    /// <summary>Failures during warm-up (not in the latency numbers, reported so they are not hidden).</summary>
    public long WarmupErrors;

    /// <summary>Length of the measurement window, seconds.</summary>
    public double WindowSeconds { get; set; }

    /// <summary>Total failed measured requests.</summary>
    public long ErrorCount => Errors.Values.Sum(v => (long)v);

    /// <summary>Completed requests per second inside the window.</summary>
    public double Throughput => WindowSeconds <= 0 ? 0 : Interlocked.Read(ref CompletedInWindow) / WindowSeconds;

    public void AddError(string kind) => Errors.AddOrUpdate(kind, 1, static (_, n) => n + 1);
}
