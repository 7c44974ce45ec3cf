using YamlDotNet.RepresentationModel;

namespace AiGateway.EnvoyHarness.Config;

/// <summary>
/// One <c>typed_per_filter_config</c> value (a <c>config.route.v3.FilterConfig</c> wrapper already unwrapped), kept as YAML
/// until the filter it names reads it.
/// </summary>
internal sealed record PerFilterConfig(YamlMappingNode Config, string YamlPath)
{
    public static IReadOnlyDictionary<string, PerFilterConfig> None { get; } = new Dictionary<string, PerFilterConfig>();
}
