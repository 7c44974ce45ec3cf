using System.Net;
using AiGateway.RateLimit.Limiting;

namespace AiGateway.RateLimit.Service.Hosting;

/// <summary>Settings of the <c>aigw serve ratelimit</c> process.</summary>
public sealed class RateLimitServerOptions
{
    /// <summary>The config directory (or file) to watch for changes.</summary>
    public required string ConfigPath { get; init; }

    /// <summary>The gRPC address (h2c); ignored when <see cref="GrpcUnixSocket"/> is set.</summary>
    public IPEndPoint GrpcEndpoint { get; init; } = new(IPAddress.Any, 8081);

    /// <summary>A unix socket path for gRPC instead of TCP.</summary>
    public string? GrpcUnixSocket { get; init; }

    /// <summary>The HTTP address of <c>/healthz</c>, <c>/healthcheck</c> and <c>/metrics</c>; null for none.</summary>
    public IPEndPoint? AdminEndpoint { get; init; } = new(IPAddress.Any, 6070);

    /// <summary>How often the config directory is checked for changes.</summary>
    public TimeSpan ReloadInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Let several files share a domain (<c>MERGE_DOMAIN_CONFIG</c>).</summary>
    public bool MergeDomainConfigs { get; init; }

    /// <summary>Limiter settings.</summary>
    public RateLimiterOptions Limiter { get; init; } = new();

    /// <summary>Response extras.</summary>
    public RateLimitServiceOptions Service { get; init; } = new();

    /// <summary>The metrics meter name (only tests running several servers in one process change it).</summary>
    public string MeterName { get; init; } = AiGateway.RateLimit.Telemetry.RateLimitMetrics.MeterName;

    /// <summary>
    /// How long startup waits for the counter store to be ready (Redis connected, script loaded) and the warm-up calls
    /// to pass before it opens the listeners anyway, with health NOT_SERVING until the store is ready.
    /// </summary>
    public TimeSpan ReadinessWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Calls run through the service's own code before it takes traffic, so the hot path is compiled; 0 for none.</summary>
    public int WarmupCalls { get; init; } = 256;

    /// <summary>How long in-flight calls may take to finish on shutdown.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
