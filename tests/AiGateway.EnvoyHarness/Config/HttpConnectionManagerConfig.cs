namespace AiGateway.EnvoyHarness.Config;

internal sealed record HttpConnectionManagerConfig(
    string StatPrefix,
    RouteTableConfig RouteConfig,
    IReadOnlyList<HttpFilterConfig> HttpFilters);
