using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace AiGateway.EnvoyHarness.Config;

/// <summary>
/// The bootstrap's <c>layered_runtime</c> static layers, flattened to dotted keys (later layers win). The harness evaluates
/// runtime fractions only where they are all-or-nothing: 0 % is off, 100 % (or more) is on; anything in between is rejected.
/// </summary>
internal sealed class StaticRuntime(IReadOnlyDictionary<string, YamlNode> values)
{
    public static StaticRuntime Empty { get; } = new(new Dictionary<string, YamlNode>());

    public IReadOnlyDictionary<string, YamlNode> Values { get; } = values;

    public static StaticRuntime Read(YamlMappingNode? layeredRuntime, List<string> notes)
    {
        var values = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        var index = 0;
        foreach (var layer in layeredRuntime.Maps("layers"))
        {
            if (layer.Map("static_layer") is { } staticLayer)
            {
                Flatten(staticLayer, string.Empty, values);
            }
            else
            {
                notes.Add($"layered_runtime.layers[{index}] ('{layer.Str("name")}') ignored: the harness reads only static_layer.");
            }

            index++;
        }

        return new StaticRuntime(values);
    }

    /// <summary>Envoy's <c>featureEnabled(key, default percent)</c>: the runtime value (an integer percent or a FractionalPercent) or the default.</summary>
    public bool FeatureEnabled(string key, int defaultPercent, string path) =>
        Values.TryGetValue(key, out var node) ? AllOrNothing(ReadPercent(node, $"runtime '{key}'"), $"{path} (runtime '{key}')") : AllOrNothing((defaultPercent, 100), path);

    /// <summary>A <c>RuntimeFractionalPercent</c> ({ default_value, runtime_key }); null when <paramref name="node"/> is absent.</summary>
    public bool? FractionEnabled(YamlMappingNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node.Str("runtime_key") is { } key && Values.TryGetValue(key, out var value))
        {
            return AllOrNothing(ReadPercent(value, $"runtime '{key}'"), $"{path} (runtime '{key}')");
        }

        var fallback = node.Map("default_value") ?? throw new FormatException($"{path}.default_value is required.");
        return AllOrNothing(ReadPercent(fallback, path + ".default_value"), path);
    }

    private static (long Numerator, long Denominator) ReadPercent(YamlNode node, string path)
    {
        switch (node)
        {
            case YamlScalarNode { Value: { } text } when long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var percent):
                return (percent, 100);
            case YamlMappingNode map:
                var denominator = (map.Str("denominator") ?? "HUNDRED") switch
                {
                    "HUNDRED" => 100L,
                    "TEN_THOUSAND" => 10_000L,
                    "MILLION" => 1_000_000L,
                    var other => throw new FormatException($"{path}: unknown denominator '{other}'."),
                };
                return (map.Long("numerator", 0), denominator);
            default:
                throw new FormatException($"{path}: expected a percent or a FractionalPercent.");
        }
    }

    private static bool AllOrNothing((long Numerator, long Denominator) fraction, string path) => fraction.Numerator switch
    {
        <= 0 => false,
        var n when n >= fraction.Denominator => true,
        _ => throw new NotSupportedException($"{path}: fractional percentages other than 0 % and 100 % are not supported by the harness (it would have to sample requests)."),
    };

    private static void Flatten(YamlMappingNode node, string prefix, Dictionary<string, YamlNode> values)
    {
        foreach (var (key, value) in node.Children)
        {
            var name = prefix + ((YamlScalarNode)key).Value;
            if (value is YamlMappingNode map && map.Child("numerator") is null)
            {
                Flatten(map, name + ".", values);
            }
            else
            {
                values[name] = value;
            }
        }
    }
}
