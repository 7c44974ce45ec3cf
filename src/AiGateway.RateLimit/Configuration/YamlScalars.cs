using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AiGateway.RateLimit.Configuration;

/// <summary>
/// Resolves plain YAML scalars the way YAML 1.1 parsers (and so the reference service) do:
/// <c>0.25</c> is a float, <c>yes</c> a bool, <c>~</c> null. Quoted scalars are always strings.
/// </summary>
internal static partial class YamlScalars
{
    public static YamlScalarKind Resolve(YamlScalarNode node)
    {
        if (node.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return YamlScalarKind.String;
        }

        var text = node.Value ?? string.Empty;
        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => YamlScalarKind.Null,
            "y" or "Y" or "yes" or "Yes" or "YES" or "n" or "N" or "no" or "No" or "NO" or "true" or "True" or "TRUE"
                or "false" or "False" or "FALSE" or "on" or "On" or "ON" or "off" or "Off" or "OFF" => YamlScalarKind.Bool,
            _ when IntPattern().IsMatch(text) => YamlScalarKind.Int,
            _ when FloatPattern().IsMatch(text) => YamlScalarKind.Float,
            _ => YamlScalarKind.String,
        };
    }

    public static bool BoolValue(string text) => text is "y" or "Y" or "yes" or "Yes" or "YES" or "true" or "True" or "TRUE" or "on" or "On" or "ON";

    public static bool TryUInt32(string text, out uint value)
    {
        var cleaned = text.Replace("_", string.Empty, StringComparison.Ordinal);
        if (cleaned.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return uint.TryParse(cleaned.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }

        return uint.TryParse(cleaned.TrimStart('+'), NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The tag a YAML 1.1 parser names the node with in errors (<c>!!str</c>, <c>!!map</c>, …).</summary>
    public static string Tag(YamlNode node) => node switch
    {
        YamlMappingNode => "!!map",
        YamlSequenceNode => "!!seq",
        YamlScalarNode scalar => Resolve(scalar) switch
        {
            YamlScalarKind.Null => "!!null",
            YamlScalarKind.Bool => "!!bool",
            YamlScalarKind.Int => "!!int",
            YamlScalarKind.Float => "!!float",
            _ => "!!str",
        },
        _ => "!!str",
    };

    /// <summary>A value as Go's <c>%v</c> prints a decoded YAML value, for error messages.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode scalar => scalar.Value ?? string.Empty,
        YamlSequenceNode sequence => "[" + string.Join(' ', sequence.Children.Select(Describe)) + "]",
        YamlMappingNode mapping => "map[" + string.Join(' ', mapping.Children.Select(c => Describe(c.Key) + ":" + Describe(c.Value))) + "]",
        _ => string.Empty,
    };

    [GeneratedRegex(@"^([-+]?(0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|0o?[0-7_]+|0b[01_]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^([-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();
}

/// <summary>What a plain YAML scalar resolves to.</summary>
internal enum YamlScalarKind
{
    String,
    Null,
    Bool,
    Int,
    Float,
}
