using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace AiGateway.EnvoyHarness.Config;

/// <summary>Small typed accessors over YamlDotNet's representation model (aliases are already resolved by the loader).</summary>
internal static class YamlNodeExtensions
{
    public static YamlNode? Child(this YamlMappingNode? node, string key)
    {
        if (node is null)
        {
            return null;
        }

        foreach (var (k, v) in node.Children)
        {
            if (k is YamlScalarNode scalar && scalar.Value == key)
            {
                return v;
            }
        }

        return null;
    }

    public static YamlMappingNode? Map(this YamlMappingNode? node, string key) => node.Child(key) as YamlMappingNode;

    public static IReadOnlyList<YamlNode> Seq(this YamlMappingNode? node, string key) =>
        node.Child(key) is YamlSequenceNode seq ? seq.Children.ToArray() : [];

    public static IEnumerable<YamlMappingNode> Maps(this YamlMappingNode? node, string key) => node.Seq(key).OfType<YamlMappingNode>();

    public static string? Str(this YamlMappingNode? node, string key) => (node.Child(key) as YamlScalarNode)?.Value;

    public static bool Bool(this YamlMappingNode? node, string key, bool defaultValue = false)
    {
        var text = node.Str(key);
        return text is null ? defaultValue : bool.Parse(text);
    }

    public static long Long(this YamlMappingNode? node, string key, long defaultValue)
    {
        // Wrapper types (UInt32Value, ...) may be written as a plain number or as { value: n }.
        var child = node.Child(key);
        var text = child switch
        {
            YamlScalarNode scalar => scalar.Value,
            YamlMappingNode map => map.Str("value"),
            _ => null,
        };
        return text is null ? defaultValue : long.Parse(text, CultureInfo.InvariantCulture);
    }

    public static IReadOnlyList<string> Strings(this YamlMappingNode? node, string key) =>
        node.Seq(key).OfType<YamlScalarNode>().Select(s => s.Value ?? string.Empty).ToArray();

    /// <summary>Reads a protobuf Duration as Envoy YAML writes it: "10s", "0.25s", or { seconds, nanos }.</summary>
    public static TimeSpan? Duration(this YamlMappingNode? node, string key)
    {
        var child = node.Child(key);
        switch (child)
        {
            case YamlScalarNode { Value: { } text }:
                if (!text.EndsWith('s'))
                {
                    throw new FormatException($"Duration '{text}' at '{key}' must end with 's'.");
                }

                var seconds = decimal.Parse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture);
                return TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));
            case YamlMappingNode map:
                return TimeSpan.FromSeconds(map.Long("seconds", 0)) + TimeSpan.FromTicks(map.Long("nanos", 0) / 100);
            default:
                return null;
        }
    }
}
