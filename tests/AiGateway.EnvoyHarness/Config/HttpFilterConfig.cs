using YamlDotNet.RepresentationModel;

namespace AiGateway.EnvoyHarness.Config;

/// <summary>One entry of an <c>http_filters</c> list; the typed config stays YAML until a filter factory reads it.</summary>
internal sealed record HttpFilterConfig(string Name, YamlMappingNode? TypedConfig, string YamlPath);
