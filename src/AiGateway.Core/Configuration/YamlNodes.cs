using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace AiGateway.Core.Configuration;

/// <summary>Reads typed values out of YAML nodes, recording every problem with its YAML path.</summary>
internal sealed class YamlNodes(string fileName, List<ConfigError> errors, Func<string, string?> environment, Dictionary<string, int> lines)
{
    public void Error(string path, YamlNode? node, string message) =>
        errors.Add(new ConfigError(fileName, path, message, ConfigSeverity.Error, LineOf(node)));

    public void Warning(string path, YamlNode? node, string message) =>
        errors.Add(new ConfigError(fileName, path, message, ConfigSeverity.Warning, LineOf(node)));

    public void Mark(string path, YamlNode node) => lines.TryAdd(path, LineOf(node) ?? 0);

    public static string Child(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public static string Item(string path, int index) => $"{path}[{index.ToString(CultureInfo.InvariantCulture)}]";

    /// <summary>Walks a mapping; calls <paramref name="onKey"/> for each known key and reports the rest.</summary>
    public void Mapping(string path, YamlNode node, IReadOnlyDictionary<string, KeyKind> keys, Action<string, YamlNode> onKey)
    {
        Mark(path, node);
        if (node is not YamlMappingNode mapping)
        {
            Error(path, node, $"expected a mapping, got {Describe(node)}");
            return;
        }

        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            var childPath = Child(path, key);
            Mark(childPath, valueNode);
            if (!keys.TryGetValue(key, out var kind))
            {
                Error(childPath, keyNode, $"unknown key '{key}'; expected one of: {string.Join(", ", keys.Keys.Order(StringComparer.Ordinal))}");
                continue;
            }

            if (kind == KeyKind.NotSupportedYet)
            {
                Warning(childPath, keyNode, $"'{key}' is not supported yet and has no effect");
                continue;
            }

            onKey(key, valueNode);
        }
    }

    public string? String(string path, YamlNode node)
    {
        if (node is not YamlScalarNode scalar || scalar.Value is null || IsNull(scalar))
        {
            Error(path, node, $"expected a string, got {Describe(node)}");
            return null;
        }

        var expanded = EnvironmentSubstitution.Expand(scalar.Value, environment, out var problem);
        if (expanded is null)
        {
            Error(path, node, problem!);
        }

        return expanded;
    }

    public int? Int(string path, YamlNode node)
    {
        var text = String(path, node);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            Error(path, node, $"expected a whole number, got '{text}'");
            return null;
        }

        return value;
    }

    /// <summary>A plain decimal number such as <c>0.0000025</c> or <c>2.5e-6</c>.</summary>
    public decimal? Decimal(string path, YamlNode node)
    {
        var text = String(path, node);
        if (text is null)
        {
            return null;
        }

        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            Error(path, node, $"expected a number, got '{text}'");
            return null;
        }

        return value;
    }

    public bool? Bool(string path, YamlNode node)
    {
        var text = String(path, node);
        switch (text)
        {
            case null:
                return null;
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
            default:
                Error(path, node, $"expected true or false, got '{text}'");
                return null;
        }
    }

    public List<string?>? StringList(string path, YamlNode node)
    {
        if (node is not YamlSequenceNode sequence)
        {
            Error(path, node, $"expected a list, got {Describe(node)}");
            return null;
        }

        var result = new List<string?>(sequence.Children.Count);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var itemPath = Item(path, i);
            Mark(itemPath, sequence.Children[i]);
            result.Add(String(itemPath, sequence.Children[i]));
        }

        return result;
    }

    /// <summary>A mapping of string to string, e.g. model name to deployment name.</summary>
    public Dictionary<string, string?>? StringMap(string path, YamlNode node)
    {
        Mark(path, node);
        if (node is not YamlMappingNode mapping)
        {
            Error(path, node, $"expected a mapping, got {Describe(node)}");
            return null;
        }

        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            var childPath = Child(path, key);
            Mark(childPath, valueNode);
            result[key] = String(childPath, valueNode);
        }

        return result;
    }

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL";

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s when IsNull(s) => "nothing",
        YamlScalarNode s => $"'{s.Value}'",
        _ => "an unknown node",
    };

    private static int? LineOf(YamlNode? node) => node is null || node.Start.Line <= 0 ? null : (int)node.Start.Line;
}

/// <summary>How a YAML key is treated.</summary>
internal enum KeyKind
{
    Supported,
    NotSupportedYet,
}
