namespace AiGateway.EnvoyHarness.Config;

/// <summary>All <c>lb_endpoints</c> of the locality groups that share one priority.</summary>
internal sealed record PriorityConfig(int Priority, IReadOnlyList<EndpointConfig> Endpoints);
