namespace AiGateway.EnvoyHarness.Config;

internal sealed record RouteTableConfig(string Name, IReadOnlyList<VirtualHostConfig> VirtualHosts)
{
    public IReadOnlyDictionary<string, PerFilterConfig> TypedPerFilterConfig { get; init; } = PerFilterConfig.None;
}
