using AiGateway.EnvoyHarness.Config;
using AiGateway.EnvoyHarness.Http;
using YamlDotNet.RepresentationModel;

namespace AiGateway.EnvoyHarness.Filters;

/// <summary>
/// <c>envoy.filters.http.set_filter_state</c> on request headers, limited to the object the harness reads:
/// <c>envoy.ratelimit.hits_addend</c> (the rate limit filter's request-level addend, envoy-protocol.md §3.4).
/// </summary>
internal sealed class SetFilterStateFilter(IReadOnlyList<(string Key, SubstitutionFormat Value, bool SkipIfEmpty)> values) : IHttpFilter
{
    /// <summary>The filter state key of the request-level hits addend.</summary>
    public const string HitsAddendKey = "envoy.ratelimit.hits_addend";

    public static SetFilterStateFilter Create(YamlMappingNode? config, string path)
    {
        if (config.Child("on_response_headers") is not null)
        {
            throw new NotSupportedException($"{path}.on_response_headers is not supported by the harness.");
        }

        var values = new List<(string, SubstitutionFormat, bool)>();
        var index = 0;
        foreach (var value in config.Maps("on_request_headers"))
        {
            var at = $"{path}.on_request_headers[{index++}]";
            var key = value.Str("object_key") ?? throw new FormatException($"{at}.object_key is required.");
            if (key != HitsAddendKey || value.Str("factory_key") is { Length: > 0 })
            {
                throw new NotSupportedException($"{at}: only object_key {HitsAddendKey} (without factory_key) is supported by the harness.");
            }

            var format = value.Map("format_string");
            var text = format.Str("text_format") ?? format.Map("text_format_source").Str("inline_string")
                ?? throw new NotSupportedException($"{at}.format_string: only text_format or text_format_source.inline_string is supported by the harness.");
            values.Add((key, SubstitutionFormat.Parse(text), value.Bool("skip_if_empty")));
        }

        return new SetFilterStateFilter(values);
    }

    public Task<HarnessResponse> InvokeAsync(HttpFilterContext context, HarnessRequest request, HttpFilterDelegate next, CancellationToken cancellationToken)
    {
        var metadata = context.Request.SnapshotDynamicMetadata();
        foreach (var (key, format, skipIfEmpty) in values)
        {
            var text = format.Format(metadata, request.Headers.Get);
            if (text.Length > 0 || !skipIfEmpty)
            {
                context.Request.FilterState[key] = text;
            }
        }

        return next(context, request, cancellationToken);
    }
}
