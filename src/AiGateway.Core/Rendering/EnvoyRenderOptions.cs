namespace AiGateway.Core.Rendering;

/// <summary>Deployment facts the Envoy bootstrap needs besides gateway.yaml.</summary>
public sealed record EnvoyRenderOptions
{
    /// <summary>Where Envoy reaches extproc: <c>host:port</c> (docker-compose service name by default) or <c>unix:/path.sock</c>.</summary>
    public string ExtProcAddress { get; init; } = "extproc:50051";

    /// <summary>The gateway listener's port.</summary>
    public int ListenerPort { get; init; } = 8080;

    /// <summary>Envoy's admin port.</summary>
    public int AdminPort { get; init; } = 9901;

    /// <summary>Largest BUFFERED body; Envoy answers 413 above it. Keep extproc's limit equal.</summary>
    public long BufferLimitBytes { get; init; } = 8 * 1024 * 1024;
}
