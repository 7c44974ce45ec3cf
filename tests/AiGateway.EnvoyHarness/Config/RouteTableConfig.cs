namespace AiGateway.EnvoyHarness.Config;

internal sealed record RouteTableConfig(string Name, IReadOnlyList<VirtualHostConfig> VirtualHosts);
