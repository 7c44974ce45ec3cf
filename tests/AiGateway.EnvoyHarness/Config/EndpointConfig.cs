using Envoy.Config.Core.V3;

namespace AiGateway.EnvoyHarness.Config;

/// <summary>One <c>lb_endpoint</c>. <see cref="Address"/> is "address:port" as written in the YAML (or "unix:path" for a pipe).</summary>
internal sealed record EndpointConfig(string Address, string? Hostname, int Priority, int Index, Metadata Metadata);
