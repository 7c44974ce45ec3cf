namespace AiGateway.EnvoyHarness.Config;

/// <summary>
/// A <c>route</c> action. <see cref="Timeout"/> is the route's global timeout; zero disables it. <see cref="RateLimits"/>
/// and <see cref="IncludeVhRateLimits"/> are the legacy rate limit policy (envoy-protocol.md §3.1 path 3).
/// </summary>
internal sealed record RouteActionConfig(string? Cluster, string? ClusterHeader, TimeSpan Timeout, RetryPolicyConfig? RetryPolicy)
{
    public IReadOnlyList<RateLimitEntryConfig> RateLimits { get; init; } = [];

    public bool IncludeVhRateLimits { get; init; }
}
