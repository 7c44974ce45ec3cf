using Envoy.Config.Core.V3;

namespace AiGateway.EnvoyHarness.Config;

/// <summary>A static cluster: endpoints grouped by priority (ascending) and the upstream HTTP filters.</summary>
internal sealed record ClusterConfig(
    string Name,
    TimeSpan ConnectTimeout,
    IReadOnlyList<PriorityConfig> Priorities,
    IReadOnlyList<HttpFilterConfig> UpstreamHttpFilters,
    Metadata Metadata);
