using System.Globalization;
using System.Text;
using AiGateway.Core.Configuration;

namespace AiGateway.Core.Rendering;

/// <summary>
/// Renders the Envoy bootstrap (envoy/envoy.yaml) from gateway.yaml: one route per (model, first
/// provider), one cluster per provider order with a priority per provider, the router-level and
/// upstream-level ext_proc filters, a retry policy from <c>routing</c>, and Envoy's rate-limit filter
/// from <c>rate_limiting</c>.
/// </summary>
public static class EnvoyBootstrapRenderer
{
    /// <summary>Renders the bootstrap YAML.</summary>
    public static string Render(GatewaySnapshot snapshot, EnvoyRenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(options);
        var routes = new List<(string Model, string First, string Cluster)>();
        var clusters = new List<(string Name, List<ProviderDefinition> Order)>();
        foreach (var model in snapshot.Models)
        {
            var providers = snapshot.ProvidersFor(model);
            foreach (var first in providers)
            {
                var order = new List<ProviderDefinition> { first };
                if (snapshot.Routing.FallbackEnabled)
                {
                    order.AddRange(providers.Where(p => p != first));
                }

                var name = "aigw/" + string.Join('/', order.Select(p => p.Name));
                if (!clusters.Exists(c => c.Name == name))
                {
                    clusters.Add((name, order));
                }

                routes.Add((model, first.Name, name));
            }
        }

        var extProcPipe = options.ExtProcAddress.StartsWith("unix:", StringComparison.Ordinal) ? options.ExtProcAddress[5..] : null;
        var (extProcHost, extProcPort) = extProcPipe is null ? SplitHostPort(options.ExtProcAddress) : (string.Empty, 0);
        var y = new StringBuilder();
        y.Append("""
            # Envoy bootstrap for AiGateway (Envoy 1.37 or newer).
            # Rendered by `aigw render envoy --config envoy/gateway.yaml`; do not edit by hand (a test checks it).
            # docker-compose.yml runs it with the official Envoy image; the test harness runs the same file.
            # Envoy's admin API has no authentication: it listens on loopback only.
            admin:
              address:

            """);
        y.Append(Inv($"    socket_address: {{ address: 127.0.0.1, port_value: {options.AdminPort} }}\n"));
        y.Append("""
            static_resources:
              listeners:
                - name: ai_gateway
                  address:

            """);
        y.Append(Inv($"        socket_address: {{ address: 0.0.0.0, port_value: {options.ListenerPort} }}\n"));
        y.Append("      # BUFFERED request bodies larger than this get a 413 from Envoy.\n");
        y.Append(Inv($"      per_connection_buffer_limit_bytes: {options.BufferLimitBytes}\n"));
        y.Append("""
                  filter_chains:
                    - filters:
                        - name: envoy.filters.network.http_connection_manager
                          typed_config:
                            "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                            stat_prefix: ai_gateway
                            codec_type: AUTO
                            stream_idle_timeout: 300s
                            route_config:
                              name: ai_gateway
                              virtual_hosts:
                                - name: ai_gateway
                                  domains: ["*"]

            """);
        if (snapshot.RateLimiting is { } perRoute)
        {
            RateLimitFilterRenderer.AppendPerRouteConfig(y, perRoute);
        }

        y.Append("                      routes:\n");
        for (var i = 0; i < routes.Count; i++)
        {
            var (model, first, cluster) = routes[i];
            y.Append(Inv($"                        - name: {Scalar(model + "/" + first)}\n"));
            y.Append("                          match:\n");
            y.Append("                            prefix: /\n");
            y.Append("                            headers:\n");
            y.Append(Inv($"                              - {{ name: x-ai-gateway-model, string_match: {{ exact: {Scalar(model)} }} }}\n"));
            y.Append(Inv($"                              - {{ name: x-ai-gateway-provider, string_match: {{ exact: {Scalar(first)} }} }}\n"));
            if (i == 0)
            {
                y.Append("                          route:\n");
                y.Append(Inv($"                            cluster: {Scalar(cluster)}\n"));
                y.Append("                            timeout: 0s\n");
                AppendRetryPolicy(y, snapshot.Routing);
            }
            else
            {
                y.Append(Inv($"                          route: {{ cluster: {Scalar(cluster)}, timeout: 0s, retry_policy: *retry_policy }}\n"));
            }
        }

        y.Append("""
                                    # Before extproc has read the body no routing header exists: this route keeps
                                    # the filter chain running; a request that still matches it after the route
                                    # cache was cleared has no upstream.
                                    - name: no_route
                                      match: { prefix: / }
                                      direct_response:
                                        status: 404
                                        body:
                                          inline_string: '{"error":{"message":"No upstream route for this request.","type":"invalid_request_error","param":null,"code":"route_not_found"}}'
                            http_filters:
                              # Router-level processor: once per request (route choice, response translation, usage).
                              - name: envoy.filters.http.ext_proc
                                typed_config:
                                  "@type": type.googleapis.com/envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor
                                  grpc_service:
                                    envoy_grpc: { cluster_name: aigw_extproc }
                                    timeout: 600s
                                  failure_mode_allow: false
                                  processing_mode:
                                    request_header_mode: SEND
                                    response_header_mode: SEND
                                    request_body_mode: BUFFERED
                                    response_body_mode: BUFFERED
                                    request_trailer_mode: SKIP
                                    response_trailer_mode: SKIP
                                  message_timeout: 10s
                                  allow_mode_override: true
                                  metadata_options:
                                    receiving_namespaces:
                                      untyped: [ai_gateway]

            """);
        if (snapshot.RateLimiting is { } rateLimiting)
        {
            RateLimitFilterRenderer.AppendFilter(y, rateLimiting);
        }

        y.Append("""
                              - name: envoy.filters.http.router
                                typed_config:
                                  "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
              clusters:
                # Our ext_proc service. In docker-compose it is the `extproc` container; as a sidecar render
                # with --extproc-address 127.0.0.1:50051 or unix:/path.sock.
                - name: aigw_extproc

            """);
        y.Append(extProcPipe is null ? "      type: STRICT_DNS\n" : "      type: STATIC\n");
        y.Append("""
                  connect_timeout: 1s
                  typed_extension_protocol_options:
                    envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                      "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                      explicit_http_config:
                        http2_protocol_options: {}
                  load_assignment:
                    cluster_name: aigw_extproc
                    endpoints:
                      - lb_endpoints:
                          - endpoint:
                              address:

            """);
        y.Append(extProcPipe is not null
            ? Inv($"                    pipe: {{ path: {Scalar(extProcPipe)} }}\n")
            : Inv($"                    socket_address: {{ address: {Scalar(extProcHost)}, port_value: {extProcPort} }}\n"));
        if (snapshot.RateLimiting is { } service)
        {
            RateLimitFilterRenderer.AppendCluster(y, service);
        }

        y.Append("    # One cluster per provider order: priority 0 is the chosen provider, later priorities are the\n");
        y.Append("    # fallbacks Envoy's retries move to. The upstream-level processor runs once per attempt.\n");
        for (var c = 0; c < clusters.Count; c++)
        {
            AppendCluster(y, clusters[c].Name, clusters[c].Order, first: c == 0);
        }

        return y.ToString();
    }

    private static void AppendRetryPolicy(StringBuilder y, RoutingSettings routing)
    {
        var on = new List<string>();
        var codes = new List<int>();
        if (routing.FallbackOn.HasFlag(FallbackError.ServerError))
        {
            on.Add("5xx");
        }

        if (routing.FallbackOn.HasFlag(FallbackError.Timeout))
        {
            on.Add("gateway-error");
        }

        if (routing.FallbackOn.HasFlag(FallbackError.ConnectionError) || routing.FallbackOn.HasFlag(FallbackError.ServiceUnavailable))
        {
            // A provider that refuses or drops connections is unavailable, too.
            on.Add("reset");
            on.Add("connect-failure");
        }

        if (routing.FallbackOn.HasFlag(FallbackError.RateLimitExceeded))
        {
            codes.Add(429);
        }

        if (routing.FallbackOn.HasFlag(FallbackError.ServiceUnavailable) && !on.Contains("5xx") && !on.Contains("gateway-error"))
        {
            codes.Add(503);
        }

        if (codes.Count > 0)
        {
            on.Add("retriable-status-codes");
        }

        var retries = routing.FallbackEnabled ? routing.RetryAttempts : 0;
        y.Append("                            retry_policy: &retry_policy\n");
        y.Append(Inv($"                              retry_on: {(on.Count == 0 ? "reset" : string.Join(',', on))}\n"));
        if (codes.Count > 0)
        {
            y.Append(Inv($"                              retriable_status_codes: [{string.Join(", ", codes)}]\n"));
        }

        y.Append(Inv($"                              num_retries: {retries}\n"));
        y.Append("                              per_try_idle_timeout: 120s\n");
        y.Append("                              retry_back_off:\n");
        y.Append(Inv($"                                base_interval: {Duration(routing.RetryDelay)}\n"));
        y.Append(Inv($"                                max_interval: {Duration(routing.RetryDelay * 10)}\n"));
        y.Append("""
                                          retry_host_predicate:
                                            - name: envoy.retry_host_predicates.previous_hosts
                                              typed_config:
                                                "@type": type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate
                                          host_selection_retry_max_attempts: 3
                                          retry_priority:
                                            name: envoy.retry_priorities.previous_priorities
                                            typed_config:
                                              "@type": type.googleapis.com/envoy.extensions.retry.priority.previous_priorities.v3.PreviousPrioritiesConfig
                                              update_frequency: 1

            """);
    }

    private static void AppendCluster(StringBuilder y, string name, List<ProviderDefinition> order, bool first)
    {
        y.Append(Inv($"    - name: {Scalar(name)}\n"));
        y.Append("      type: STRICT_DNS\n");
        y.Append("      connect_timeout: 5s\n");
        y.Append("      typed_extension_protocol_options:\n");
        if (first)
        {
            y.Append("""
                        envoy.extensions.upstreams.http.v3.HttpProtocolOptions: &upstream_protocol_options
                          "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                          explicit_http_config:
                            http_protocol_options: {}
                          http_filters:
                            - name: envoy.filters.http.ext_proc
                              typed_config:
                                "@type": type.googleapis.com/envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor
                                grpc_service:
                                  envoy_grpc: { cluster_name: aigw_extproc }
                                  timeout: 600s
                                  initial_metadata:
                                    - { key: x-ai-gateway-filter, value: upstream }
                                failure_mode_allow: false
                                processing_mode:
                                  request_header_mode: SEND
                                  response_header_mode: SKIP
                                  request_body_mode: NONE
                                  response_body_mode: NONE
                                  request_trailer_mode: SKIP
                                  response_trailer_mode: SKIP
                                message_timeout: 10s
                                request_attributes:
                                  - xds.upstream_host_metadata.filter_metadata['ai_gateway']['provider']
                                  - xds.cluster_name
                                mutation_rules:
                                  allow_all_routing: true
                                metadata_options:
                                  receiving_namespaces:
                                    untyped: [ai_gateway]
                            # CONTINUE_AND_REPLACE strips content-length; put back the length extproc computed.
                            - name: envoy.filters.http.header_mutation
                              typed_config:
                                "@type": type.googleapis.com/envoy.extensions.filters.http.header_mutation.v3.HeaderMutation
                                mutations:
                                  request_mutations:
                                    - append:
                                        header: { key: content-length, value: "%DYNAMIC_METADATA(ai_gateway:content_length)%" }
                                        append_action: ADD_IF_ABSENT
                            - name: envoy.filters.http.upstream_codec
                              typed_config:
                                "@type": type.googleapis.com/envoy.extensions.filters.http.upstream_codec.v3.UpstreamCodec

                """);
        }
        else
        {
            y.Append("        envoy.extensions.upstreams.http.v3.HttpProtocolOptions: *upstream_protocol_options\n");
        }

        var tls = order.Where(p => p.UsesTls).ToList();
        if (tls.Count > 0)
        {
            // Each TLS provider gets its own SNI, chosen by endpoint metadata.
            y.Append("      transport_socket_matches:\n");
            foreach (var provider in tls)
            {
                y.Append(Inv($"        - name: {Scalar("tls/" + provider.Name)}\n"));
                y.Append(Inv($"          match: {{ ai_gateway_tls: {Scalar(provider.Name)} }}\n"));
                y.Append("          transport_socket:\n");
                y.Append("            name: envoy.transport_sockets.tls\n");
                y.Append("            typed_config:\n");
                y.Append("              \"@type\": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext\n");
                y.Append(Inv($"              sni: {Scalar(provider.Endpoint.Host)}\n"));
            }
        }

        y.Append("      load_assignment:\n");
        y.Append(Inv($"        cluster_name: {Scalar(name)}\n"));
        y.Append("        endpoints:\n");
        for (var priority = 0; priority < order.Count; priority++)
        {
            var provider = order[priority];
            y.Append(Inv($"          - priority: {priority}\n"));
            y.Append("            lb_endpoints:\n");
            y.Append("              - endpoint:\n");
            y.Append("                  address:\n");
            y.Append(Inv($"                    socket_address: {{ address: {Scalar(provider.Endpoint.Host)}, port_value: {provider.Endpoint.Port} }}\n"));
            y.Append(Inv($"                  hostname: {Scalar(provider.Endpoint.Host)}\n"));
            y.Append("                metadata:\n");
            y.Append("                  filter_metadata:\n");
            y.Append(Inv($"                    ai_gateway: {{ provider: {Scalar(provider.Name)} }}\n"));
            if (provider.UsesTls)
            {
                y.Append(Inv($"                    envoy.transport_socket_match: {{ ai_gateway_tls: {Scalar(provider.Name)} }}\n"));
            }
        }
    }

    private static (string Host, int Port) SplitHostPort(string address)
    {
        var colon = address.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            throw new ArgumentException($"'{address}' is not host:port", nameof(address));
        }

        return (address[..colon], port);
    }

    internal static string Duration(TimeSpan span) =>
        span.TotalMilliseconds % 1000 == 0 ? Inv($"{(long)span.TotalSeconds}s") : Inv($"{span.TotalSeconds:0.###}s");

    /// <summary>Quotes a YAML scalar when plain style could change its meaning.</summary>
    internal static string Scalar(string value)
    {
        var plain = value.Length > 0
            && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':')
            && char.IsAsciiLetter(value[0])
            && !value.Contains(": ", StringComparison.Ordinal)
            && value is not ("true" or "false" or "null" or "yes" or "no" or "on" or "off");
        return plain ? value : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    internal static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
