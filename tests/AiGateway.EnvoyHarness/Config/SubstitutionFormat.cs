using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Envoy.Config.Core.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace AiGateway.EnvoyHarness.Config;

/// <summary>
/// A parsed Envoy substitution format string. Supported operators: <c>%DYNAMIC_METADATA(ns:key[:key...])%</c>,
/// <c>%REQ(header)%</c> and the literal <c>%%</c>. Missing values render empty (header formatters omit empty values).
/// </summary>
internal sealed partial class SubstitutionFormat
{
    private readonly IReadOnlyList<Func<Metadata, Func<string, string?>, string>> _parts;

    private SubstitutionFormat(IReadOnlyList<Func<Metadata, Func<string, string?>, string>> parts, string text)
    {
        _parts = parts;
        Text = text;
    }

    public string Text { get; }

    public static SubstitutionFormat Parse(string text)
    {
        var parts = new List<Func<Metadata, Func<string, string?>, string>>();
        var position = 0;
        foreach (Match match in OperatorPattern().Matches(text))
        {
            if (match.Index > position)
            {
                var literal = text[position..match.Index];
                parts.Add((_, _) => literal);
            }

            parts.Add(CompileOperator(match.Value, text));
            position = match.Index + match.Length;
        }

        if (position < text.Length)
        {
            var literal = text[position..];
            if (literal.Contains('%', StringComparison.Ordinal))
            {
                throw new NotSupportedException($"Unsupported substitution format '{text}'.");
            }

            parts.Add((_, _) => literal);
        }

        return new SubstitutionFormat(parts, text);
    }

    public string Format(Metadata dynamicMetadata, Func<string, string?> requestHeader)
    {
        var builder = new StringBuilder();
        foreach (var part in _parts)
        {
            builder.Append(part(dynamicMetadata, requestHeader));
        }

        return builder.ToString();
    }

    /// <summary>Renders a metadata value the way Envoy's formatter does: strings raw, everything else as protobuf JSON.</summary>
    public static string Render(Value value) => value.KindCase switch
    {
        Value.KindOneofCase.StringValue => value.StringValue,
        Value.KindOneofCase.NumberValue when Math.Abs(value.NumberValue) < 1e15 && value.NumberValue == Math.Floor(value.NumberValue) =>
            ((long)value.NumberValue).ToString(CultureInfo.InvariantCulture),
        Value.KindOneofCase.NumberValue => value.NumberValue.ToString("R", CultureInfo.InvariantCulture),
        Value.KindOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        Value.KindOneofCase.None => string.Empty,
        _ => JsonFormatter.Default.Format(value),
    };

    private static Func<Metadata, Func<string, string?>, string> CompileOperator(string op, string text)
    {
        if (op == "%%")
        {
            return (_, _) => "%";
        }

        var inner = op[1..^1];
        var open = inner.IndexOf('(', StringComparison.Ordinal);
        var name = open < 0 ? inner : inner[..open];
        var argument = open < 0 ? string.Empty : inner[(open + 1)..inner.LastIndexOf(')')];
        switch (name)
        {
            case "DYNAMIC_METADATA":
                var path = argument.Split(':');
                return (metadata, _) => Lookup(metadata, path) is { } value ? Render(value) : string.Empty;
            case "REQ":
                var header = argument.Split(':')[0].Trim().ToLowerInvariant();
                return (_, request) => request(header) ?? string.Empty;
            default:
                throw new NotSupportedException($"Substitution operator '{op}' in '{text}' is not supported by the harness.");
        }
    }

    private static Value? Lookup(Metadata metadata, string[] path)
    {
        if (path.Length < 2 || !metadata.FilterMetadata.TryGetValue(path[0], out var current))
        {
            return null;
        }

        Value? value = null;
        for (var i = 1; i < path.Length; i++)
        {
            if (current is null || !current.Fields.TryGetValue(path[i], out value))
            {
                return null;
            }

            current = value.KindCase == Value.KindOneofCase.StructValue ? value.StructValue : null;
        }

        return value;
    }

    [GeneratedRegex(@"%%|%[A-Z_]+(\([^)]*\))?(:\d+)?%")]
    private static partial Regex OperatorPattern();
}
