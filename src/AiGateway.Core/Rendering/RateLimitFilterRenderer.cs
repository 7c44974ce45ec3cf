using System.Text;
using AiGateway.Core.Configuration;
using static AiGateway.Core.Rendering.EnvoyBootstrapRenderer;

namespace AiGateway.Core.Rendering;

/// <summary>
/// The Envoy side of <c>rate_limiting</c>: the <c>envoy.filters.http.ratelimit</c> filter (after the router-level
/// ext_proc, so the routing header and extproc's metadata are visible; before the router), its <c>rate_limits</c> in
/// the virtual host's <c>typed_per_filter_config</c> (<c>RateLimitPerRoute</c>, Envoy 1.33+), and the rate-limit
/// service's HTTP/2 cluster. Token limits are a pair of entries with one descriptor (envoy-protocol.md §3.5): checked
/// with <c>hits_addend: 0</c> when the request arrives, charged with the response's <c>ai_gateway:total_tokens</c>
/// when the stream is done.
/// </summary>
/// <remarks>
/// Why per-route and not the filter-level <c>rate_limits</c> (1.36): Envoy's filter passes the stream-done phase to
/// per-route rate limits, while the source we could read evaluates filter-level ones without it, which would send the
/// request-time entries again at stream end and never the charge. Per-route rate limits are the path where both
/// <c>hits_addend</c> and <c>apply_on_stream_done</c> are known to work.
/// </remarks>
internal static class RateLimitFilterRenderer
{
    /// <summary>The cluster Envoy reaches the rate-limit service through.</summary>
    public const string ClusterName = "aigw_ratelimit";

    public static void AppendFilter(StringBuilder y, RateLimitingSettings settings)
    {
        y.Append("                  # Rate limits from gateway.yaml's rate_limiting, answered by `aigw serve ratelimit` (its config:\n");
        y.Append("                  # `aigw render ratelimit`). After extproc, so x-ai-gateway-model and extproc's metadata are set.\n");
        y.Append("                  - name: envoy.filters.http.ratelimit\n");
        y.Append("                    typed_config:\n");
        y.Append("                      \"@type\": type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimit\n");
        y.Append(Inv($"                      domain: {Scalar(settings.Domain)}\n"));
        y.Append(Inv($"                      timeout: {Duration(settings.Timeout)}\n"));
        y.Append(Inv($"                      failure_mode_deny: {(settings.FailureModeDeny ? "true" : "false")}\n"));
        y.Append(Inv($"                      enable_x_ratelimit_headers: {(settings.ResponseHeaders ? "DRAFT_VERSION_03" : "OFF")}\n"));
        y.Append("                      rate_limit_service:\n");
        y.Append("                        grpc_service:\n");
        y.Append(Inv($"                          envoy_grpc: {{ cluster_name: {ClusterName} }}\n"));
        y.Append("                        transport_api_version: V3\n");
    }

    /// <summary>The virtual host's <c>typed_per_filter_config</c> holding every rate-limit entry.</summary>
    public static void AppendPerRouteConfig(StringBuilder y, RateLimitingSettings settings)
    {
        y.Append("                      # Rate-limit entries for every route of this host (RateLimitPerRoute: hits_addend and\n");
        y.Append("                      # apply_on_stream_done are honoured here); the filter itself is in http_filters below.\n");
        y.Append("                      typed_per_filter_config:\n");
        y.Append("                        envoy.filters.http.ratelimit:\n");
        y.Append("                          \"@type\": type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimitPerRoute\n");
        y.Append("                          rate_limits:\n");
        foreach (var limit in settings.Limits)
        {
            var actions = RateLimitDescriptorAction.For(limit);
            if (limit.Kind == RateLimitKind.Requests)
            {
                y.Append(Inv($"                            # {limit.Name}: {limit.Amount} requests per {limit.Unit}{Whom(limit)}\n"));
                AppendEntry(y, actions);
            }
            else
            {
                y.Append(Inv($"                            # {limit.Name}: {limit.Amount} tokens per {limit.Unit}{Whom(limit)}; checked when the request\n"));
                y.Append("                            # arrives (adds 0), charged with the response's total tokens when the stream is done\n");
                AppendEntry(y, actions);
                y.Append("                              hits_addend: { number: 0 }\n");
                AppendEntry(y, actions);
                y.Append(Inv($"                              hits_addend: {{ format: {Scalar(RateLimitingSettings.TotalTokensMetadata)} }}\n"));
                y.Append("                              apply_on_stream_done: true\n");
            }
        }
    }

    public static void AppendCluster(StringBuilder y, RateLimitingSettings settings)
    {
        y.Append("    # The rate-limit service (`aigw serve ratelimit`, or envoyproxy/ratelimit with the same config): gRPC over HTTP/2.\n");
        y.Append(Inv($"    - name: {ClusterName}\n"));
        y.Append("      type: STRICT_DNS\n");
        y.Append("      connect_timeout: 1s\n");
        y.Append("      typed_extension_protocol_options:\n");
        y.Append("        envoy.extensions.upstreams.http.v3.HttpProtocolOptions:\n");
        y.Append("          \"@type\": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions\n");
        y.Append("          explicit_http_config:\n");
        y.Append("            http2_protocol_options: {}\n");
        y.Append("      load_assignment:\n");
        y.Append(Inv($"        cluster_name: {ClusterName}\n"));
        y.Append("        endpoints:\n");
        y.Append("          - lb_endpoints:\n");
        y.Append("              - endpoint:\n");
        y.Append("                  address:\n");
        y.Append(Inv($"                    socket_address: {{ address: {Scalar(settings.ServiceHost)}, port_value: {settings.ServicePort} }}\n"));
    }

    /// <summary>" per x-user-id", " per client address", " per model" …, for comments.</summary>
    internal static string Whom(GatewayRateLimit limit)
    {
        var whom = limit.Per.Kind switch
        {
            RateLimitSubjectKind.Header => " per " + limit.Per.Name,
            RateLimitSubjectKind.RemoteAddress => " per client address",
            RateLimitSubjectKind.Metadata => $" per {limit.Per.Name}:{string.Join(':', limit.Per.Path)}",
            _ => string.Empty,
        };
        return limit.PerModel ? whom + (whom.Length == 0 ? " per model" : " and model") : whom;
    }

    private static void AppendEntry(StringBuilder y, IReadOnlyList<RateLimitDescriptorAction> actions)
    {
        y.Append("                            - actions:\n");
        foreach (var action in actions)
        {
            y.Append("                                - ");
            y.Append(action.Kind switch
            {
                RateLimitDescriptorActionKind.GenericKey => Inv($"generic_key: {{ descriptor_key: {Scalar(action.Key)}, descriptor_value: {Scalar(action.Value)} }}"),
                RateLimitDescriptorActionKind.RequestHeader => Inv($"request_headers: {{ header_name: {Scalar(action.Value)}, descriptor_key: {Scalar(action.Key)} }}"),
                RateLimitDescriptorActionKind.RemoteAddress => "remote_address: {}",
                _ => Inv($"metadata: {{ descriptor_key: {Scalar(action.Key)}, metadata_key: {{ key: {Scalar(action.Value)}, path: [{string.Join(", ", action.Path.Select(p => "{ key: " + Scalar(p) + " }"))}] }} }}"),
            });
            y.Append('\n');
        }
    }
}
