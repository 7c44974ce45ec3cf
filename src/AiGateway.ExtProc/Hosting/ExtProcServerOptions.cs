namespace AiGateway.ExtProc.Hosting;

/// <summary>How to run the ext_proc server process.</summary>
public sealed class ExtProcServerOptions
{
    /// <summary>Path of gateway.yaml, polled for changes.</summary>
    public required string ConfigPath { get; init; }

    /// <summary>The gRPC (h2c) listen address.</summary>
    public ListenAddress Listen { get; init; } = new(System.Net.IPAddress.Loopback, 50051, null);

    /// <summary>The HTTP address for /healthz and /metrics; null to serve them on no extra port.</summary>
    public ListenAddress? AdminListen { get; init; } = new(System.Net.IPAddress.Any, 9090, null);

    /// <summary>How long in-flight streams may take to finish on shutdown.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often gateway.yaml is checked for changes.</summary>
    public TimeSpan ReloadInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Service settings.</summary>
    public ExtProcOptions Service { get; init; } = new();
}
