namespace AiGateway.EnvoyHarness.Config;

/// <summary>The parts of an Envoy bootstrap the harness runs: the first HTTP listener and the static clusters.</summary>
internal sealed record BootstrapConfig(
    ListenerConfig Listener,
    IReadOnlyDictionary<string, ClusterConfig> Clusters,
    IReadOnlyList<string> Notes)
{
    /// <summary>The <c>layered_runtime</c> static layers.</summary>
    public StaticRuntime Runtime { get; init; } = StaticRuntime.Empty;
}
