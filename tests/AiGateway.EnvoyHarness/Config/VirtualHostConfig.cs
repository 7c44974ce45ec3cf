namespace AiGateway.EnvoyHarness.Config;

internal sealed record VirtualHostConfig(string Name, IReadOnlyList<string> Domains, IReadOnlyList<RouteConfig> Routes);
