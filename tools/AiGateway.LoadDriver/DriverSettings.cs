using AiGateway.LoadDriver.Hosting;

namespace AiGateway.LoadDriver;

/// <summary>Everything one invocation of the driver was asked to do.</summary>
internal sealed record DriverSettings
{
    /// <summary>Servers to measure, in order (noop first for <c>both</c>).</summary>
    public required IReadOnlyList<ServerTarget> Targets { get; init; }

    /// <summary>Open-loop rates (req/s), one run each.</summary>
    public IReadOnlyList<double> Rates { get; init; } = [];

    /// <summary>Flat-out concurrencies, one run each.</summary>
    public IReadOnlyList<int> Concurrencies { get; init; } = [];

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Time given to in-flight requests after the window before they are cancelled (and counted as errors).</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>HTTP/2 connections to the server (Envoy opens about one per worker thread).</summary>
    public int Connections { get; init; } = 2;

    /// <summary>Open loop: requests not started while this many are in flight (counted as errors), so an overloaded run stays bounded.</summary>
    public int MaxInFlight { get; init; } = 10_000;

    /// <summary>Path of the aigw executable; default: src/AiGateway.Cli/bin/Release/net10.0/aigw of this checkout.</summary>
    public string? AigwPath { get; init; }

    /// <summary>CPU list for the server (taskset -c), or null for no pinning.</summary>
    public string? ServerCpus { get; init; }

    /// <summary>The noop server ends each stream with OK after its last message instead of waiting for Envoy's reset.</summary>
    public bool NoopCloseEarly { get; init; }

    /// <summary>Extra environment variables for the server process.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ServerEnvironment { get; init; } = [];

    /// <summary>Open-loop runs count as sustainable when p99 stays at or under this (and throughput and errors are fine).</summary>
    public TimeSpan SloP99 { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Before each run, wait up to this long for the rest of the machine to go quiet (0: don't wait).</summary>
    public TimeSpan WaitIdle { get; init; } = TimeSpan.Zero;

    /// <summary>Append one JSON object per run to this file, or null.</summary>
    public string? JsonPath { get; init; }

    /// <summary>Free text put in every result (e.g. "pinned").</summary>
    public string? Label { get; init; }
}
