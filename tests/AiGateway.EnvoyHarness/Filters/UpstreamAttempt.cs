using AiGateway.EnvoyHarness.Config;

namespace AiGateway.EnvoyHarness.Filters;

/// <summary>The host chosen for one router attempt.</summary>
internal sealed record UpstreamAttempt(ClusterConfig Cluster, EndpointConfig Host, int Number);
