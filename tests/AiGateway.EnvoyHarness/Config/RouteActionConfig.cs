namespace AiGateway.EnvoyHarness.Config;

/// <summary>A <c>route</c> action. <see cref="Timeout"/> is the route's global timeout; zero disables it.</summary>
internal sealed record RouteActionConfig(string? Cluster, string? ClusterHeader, TimeSpan Timeout, RetryPolicyConfig? RetryPolicy);
