using System.Globalization;
using Envoy.Config.Core.V3;
using Google.Protobuf.WellKnownTypes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AiGateway.EnvoyHarness.Config;

/// <summary>Converts YAML (as Envoy reads it through proto3 JSON) into <see cref="Struct"/> / <see cref="Metadata"/>.</summary>
internal static class YamlStructConverter
{
    public static Metadata ToMetadata(YamlMappingNode? metadataNode)
    {
        var metadata = new Metadata();
        if (metadataNode.Map("filter_metadata") is { } filterMetadata)
        {
            foreach (var (key, value) in filterMetadata.Children)
            {
                if (key is YamlScalarNode { Value: { } ns } && value is YamlMappingNode map)
                {
                    metadata.FilterMetadata[ns] = ToStruct(map);
                }
            }
        }

        return metadata;
    }

    public static Struct ToStruct(YamlMappingNode map)
    {
        var result = new Struct();
        foreach (var (key, value) in map.Children)
        {
            if (key is YamlScalarNode { Value: { } name })
            {
                result.Fields[name] = ToValue(value);
            }
        }

        return result;
    }

    public static Value ToValue(YamlNode node) => node switch
    {
        YamlMappingNode map => Value.ForStruct(ToStruct(map)),
        YamlSequenceNode seq => Value.ForList(seq.Children.Select(ToValue).ToArray()),
        YamlScalarNode scalar => ScalarToValue(scalar),
        _ => Value.ForNull(),
    };

    private static Value ScalarToValue(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return Value.ForString(text);
        }

        if (text is "null" or "~" or "")
        {
            return Value.ForNull();
        }

        if (text is "true" or "false")
        {
            return Value.ForBool(text == "true");
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? Value.ForNumber(number)
            : Value.ForString(text);
    }
}
