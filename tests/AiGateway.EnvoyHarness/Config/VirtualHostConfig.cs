namespace AiGateway.EnvoyHarness.Config;

/// <summary>A virtual host; <see cref="RateLimits"/> is its legacy rate limit policy.</summary>
internal sealed record VirtualHostConfig(string Name, IReadOnlyList<string> Domains, IReadOnlyList<RouteConfig> Routes)
{
    public IReadOnlyList<RateLimitEntryConfig> RateLimits { get; init; } = [];

    public IReadOnlyDictionary<string, PerFilterConfig> TypedPerFilterConfig { get; init; } = PerFilterConfig.None;
}
