using System.Globalization;
using System.Text.RegularExpressions;
using AiGateway.EnvoyHarness.Filters;
using AiGateway.EnvoyHarness.Http;
using Envoy.Config.Core.V3;
using HeaderMap = AiGateway.EnvoyHarness.Http.HeaderMap;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace AiGateway.EnvoyHarness.ExtProc;

/// <summary>
/// Evaluates the attribute paths ext_proc users write (a tiny CEL subset: dotted names plus <c>['key']</c> indexing).
/// Values map like Envoy's: bool → bool, int → number, everything else → string (envoy-protocol.md §2.10).
/// Expressions the harness cannot evaluate, or that have no value here, are left out, as failed expressions are.
/// </summary>
internal static partial class AttributeEvaluator
{
    public static Struct Evaluate(IEnumerable<string> expressions, HttpFilterContext context, HeaderMap requestHeaders, HeaderMap? responseHeaders)
    {
        var result = new Struct();
        foreach (var expression in expressions)
        {
            if (EvaluateOne(expression, context, requestHeaders, responseHeaders) is { } value)
            {
                result.Fields[expression] = value;
            }
        }

        return result;
    }

    private static Value? EvaluateOne(string expression, HttpFilterContext context, HeaderMap requestHeaders, HeaderMap? responseHeaders)
    {
        var segments = Parse(expression);
        if (segments is null || segments.Count < 2)
        {
            return null;
        }

        var attempt = context.Attempt;
        var route = context.Request.CachedRoute;
        var root = $"{segments[0]}.{segments[1]}";
        var rest = segments.Skip(2).ToList();
        object? value = root switch
        {
            "request.path" => requestHeaders.Get(":path"),
            "request.url_path" => requestHeaders.Get(":path")?.Split('?', 2)[0],
            "request.host" => requestHeaders.Get(":authority"),
            "request.scheme" => requestHeaders.Get(":scheme"),
            "request.method" => requestHeaders.Get(":method"),
            "request.id" => requestHeaders.Get("x-request-id"),
            "request.protocol" => "HTTP/1.1",
            "request.headers" => rest.Count == 1 ? requestHeaders.Get(rest[0].ToLowerInvariant()) : null,
            "response.code" => responseHeaders?.Get(":status") is { } status ? long.Parse(status, CultureInfo.InvariantCulture) : null,
            "xds.route_name" => route?.Name,
            "xds.cluster_name" => attempt?.Cluster.Name,
            "xds.cluster_metadata" => attempt?.Cluster.Metadata,
            "xds.route_metadata" => route?.Metadata,
            "xds.upstream_host_metadata" => attempt?.Host.Metadata,
            "upstream.request_attempt_count" => attempt is null ? null : (long)attempt.Number,
            "upstream.address" => attempt?.Host.Address,
            _ => null,
        };
        if (root == "request.headers")
        {
            rest.Clear();
        }

        if (value is Metadata metadata)
        {
            value = Navigate(metadata, rest);
        }
        else if (rest.Count > 0)
        {
            return null;
        }

        return value switch
        {
            null => null,
            bool b => Value.ForBool(b),
            long l => Value.ForNumber(l),
            string s => Value.ForString(s),
            Value { KindCase: Value.KindOneofCase.BoolValue } v => v.Clone(),
            Value { KindCase: Value.KindOneofCase.StringValue } v => v.Clone(),
            Value { KindCase: Value.KindOneofCase.NumberValue } v => Value.ForString(v.NumberValue.ToString(CultureInfo.InvariantCulture)),
            Value { KindCase: Value.KindOneofCase.NullValue } => null,
            IMessage message => Value.ForString(JsonFormatter.Default.Format(message)),
            _ => null,
        };
    }

    private static object? Navigate(Metadata metadata, List<string> path)
    {
        if (path.Count == 0)
        {
            return metadata;
        }

        if (path[0] != "filter_metadata")
        {
            return null;
        }

        if (path.Count == 1)
        {
            return Value.ForStruct(new Struct { Fields = { metadata.FilterMetadata.ToDictionary(p => p.Key, p => Value.ForStruct(p.Value)) } });
        }

        if (!metadata.FilterMetadata.TryGetValue(path[1], out var current))
        {
            return null;
        }

        object result = current;
        foreach (var key in path.Skip(2))
        {
            if (result is not Struct s || !s.Fields.TryGetValue(key, out var next))
            {
                return null;
            }

            result = next.KindCase == Value.KindOneofCase.StructValue ? next.StructValue : next;
        }

        return result;
    }

    private static List<string>? Parse(string expression)
    {
        var segments = new List<string>();
        var position = 0;
        foreach (Match match in SegmentPattern().Matches(expression))
        {
            if (match.Index != position)
            {
                return null;
            }

            segments.Add(match.Groups["name"].Success ? match.Groups["name"].Value : match.Groups["key"].Value);
            position = match.Index + match.Length;
        }

        return position == expression.Length ? segments : null;
    }

    [GeneratedRegex(@"\.?(?<name>[A-Za-z_][A-Za-z0-9_]*)|\[\s*['""](?<key>[^'""]*)['""]\s*\]")]
    private static partial Regex SegmentPattern();
}
