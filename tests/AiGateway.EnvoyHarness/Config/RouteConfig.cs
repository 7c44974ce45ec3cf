using Envoy.Config.Core.V3;

namespace AiGateway.EnvoyHarness.Config;

/// <summary>A route: match plus exactly one of <see cref="Action"/> or <see cref="DirectResponse"/>.</summary>
internal sealed record RouteConfig(
    string Name,
    RouteMatchConfig Match,
    RouteActionConfig? Action,
    DirectResponseConfig? DirectResponse,
    Metadata Metadata)
{
    public IReadOnlyDictionary<string, PerFilterConfig> TypedPerFilterConfig { get; init; } = PerFilterConfig.None;
}
