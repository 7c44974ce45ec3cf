using System.Globalization;
using System.Text.RegularExpressions;
using Envoy.Config.Core.V3;
using YamlDotNet.RepresentationModel;

namespace AiGateway.EnvoyHarness.Config;

/// <summary>
/// Reads an Envoy bootstrap YAML (anchors and aliases resolved by YamlDotNet) into <see cref="BootstrapConfig"/>.
/// Parts the harness does not run are skipped; parts that would change semantics it implements are rejected.
/// </summary>
internal static class BootstrapLoader
{
    private const string HcmName = "envoy.filters.network.http_connection_manager";
    private const string HttpProtocolOptions = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

    public static BootstrapConfig LoadFile(string path)
    {
        using var reader = new StreamReader(path);
        return Load(reader);
    }

    public static BootstrapConfig Load(TextReader reader)
    {
        var stream = new YamlStream();
        stream.Load(reader);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new FormatException("The Envoy bootstrap is empty or not a mapping.");
        }

        var notes = new List<string>();
        var resources = root.Map("static_resources") ?? throw new FormatException("static_resources is missing.");
        var clusters = new Dictionary<string, ClusterConfig>(StringComparer.Ordinal);
        var index = 0;
        foreach (var cluster in resources.Maps("clusters"))
        {
            var parsed = ReadCluster(cluster, $"static_resources.clusters[{index++}]");
            clusters[parsed.Name] = parsed;
        }

        ListenerConfig? listener = null;
        index = 0;
        foreach (var node in resources.Maps("listeners"))
        {
            var candidate = ReadListener(node, $"static_resources.listeners[{index++}]");
            if (candidate is null)
            {
                continue;
            }

            if (listener is null)
            {
                listener = candidate;
            }
            else
            {
                notes.Add($"Listener '{candidate.Name}' ignored: the harness runs only the first HTTP listener.");
            }
        }

        if (listener is null)
        {
            throw new FormatException("No listener with an http_connection_manager was found.");
        }

        if (root.Child("admin") is not null)
        {
            notes.Add("admin ignored.");
        }

        var runtime = StaticRuntime.Read(root.Map("layered_runtime"), notes);
        return new BootstrapConfig(listener, clusters, notes) { Runtime = runtime };
    }

    private static ListenerConfig? ReadListener(YamlMappingNode node, string path)
    {
        var socket = node.Map("address").Map("socket_address");
        foreach (var chain in node.Maps("filter_chains"))
        {
            foreach (var filter in chain.Maps("filters"))
            {
                if (filter.Str("name") != HcmName)
                {
                    continue;
                }

                var hcm = filter.Map("typed_config") ?? throw new FormatException($"{path}: http_connection_manager has no typed_config.");
                return new ListenerConfig(
                    node.Str("name") ?? "listener",
                    socket.Str("address") ?? "0.0.0.0",
                    (int)socket.Long("port_value", 0),
                    node.Long("per_connection_buffer_limit_bytes", 1024 * 1024),
                    ReadConnectionManager(hcm, $"{path}.filter_chains[].filters[].typed_config"));
            }
        }

        return null;
    }

    private static HttpConnectionManagerConfig ReadConnectionManager(YamlMappingNode hcm, string path)
    {
        var routeConfig = hcm.Map("route_config") ?? throw new FormatException($"{path}: only an inline route_config is supported (no RDS).");
        var filters = ReadHttpFilters(hcm, $"{path}.http_filters");
        return new HttpConnectionManagerConfig(hcm.Str("stat_prefix") ?? string.Empty, ReadRouteTable(routeConfig, $"{path}.route_config"), filters);
    }

    private static List<HttpFilterConfig> ReadHttpFilters(YamlMappingNode? parent, string path)
    {
        var filters = new List<HttpFilterConfig>();
        var index = 0;
        foreach (var filter in parent.Maps("http_filters"))
        {
            filters.Add(new HttpFilterConfig(filter.Str("name") ?? string.Empty, filter.Map("typed_config"), $"{path}[{index++}]"));
        }

        return filters;
    }

    private static RouteTableConfig ReadRouteTable(YamlMappingNode node, string path)
    {
        var hosts = new List<VirtualHostConfig>();
        var hostIndex = 0;
        foreach (var host in node.Maps("virtual_hosts"))
        {
            var hostPath = $"{path}.virtual_hosts[{hostIndex++}]";
            var routes = new List<RouteConfig>();
            var routeIndex = 0;
            foreach (var route in host.Maps("routes"))
            {
                routes.Add(ReadRoute(route, $"{hostPath}.routes[{routeIndex++}]"));
            }

            hosts.Add(new VirtualHostConfig(host.Str("name") ?? string.Empty, host.Strings("domains"), routes)
            {
                RateLimits = RateLimitConfigReader.Entries(host, hostPath),
                TypedPerFilterConfig = ReadPerFilterConfig(host, hostPath),
            });
        }

        return new RouteTableConfig(node.Str("name") ?? string.Empty, hosts) { TypedPerFilterConfig = ReadPerFilterConfig(node, path) };
    }

    /// <summary>
    /// <c>typed_per_filter_config</c>, keyed by filter name. A <c>config.route.v3.FilterConfig</c> wrapper is unwrapped to its
    /// <c>config</c>; its <c>disabled</c> flag is rejected (the harness cannot disable filters per route).
    /// </summary>
    private static Dictionary<string, PerFilterConfig> ReadPerFilterConfig(YamlMappingNode node, string path)
    {
        var result = new Dictionary<string, PerFilterConfig>(StringComparer.Ordinal);
        foreach (var (key, value) in node.Map("typed_per_filter_config")?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>())
        {
            var name = ((YamlScalarNode)key).Value ?? string.Empty;
            var at = $"{path}.typed_per_filter_config['{name}']";
            if (value is not YamlMappingNode config)
            {
                throw new FormatException($"{at}: expected a typed config.");
            }

            if (config.Str("@type")?.EndsWith("/envoy.config.route.v3.FilterConfig", StringComparison.Ordinal) == true)
            {
                if (config.Bool("disabled"))
                {
                    throw new NotSupportedException($"{at}.disabled: disabling a filter per route is not supported by the harness.");
                }

                config = config.Map("config") ?? throw new FormatException($"{at}.config is required.");
                at += ".config";
            }

            result[name] = new PerFilterConfig(config, at);
        }

        return result;
    }

    /// <summary>Reads one <c>config.route.v3.HeaderMatcher</c> (also used by the rate limit filter's header_value_match).</summary>
    internal static HeaderMatcherConfig ReadHeaderMatcher(YamlMappingNode header, string path) => new(
        (header.Str("name") ?? throw new FormatException($"{path}: name is missing.")).ToLowerInvariant(),
        ReadStringMatcher(header.Map("string_match")),
        header.Child("present_match") is null ? null : header.Bool("present_match"),
        header.Bool("invert_match"));

    private static RouteConfig ReadRoute(YamlMappingNode node, string path)
    {
        var match = node.Map("match") ?? throw new FormatException($"{path}: match is missing.");
        var headers = new List<HeaderMatcherConfig>();
        foreach (var header in match.Maps("headers"))
        {
            headers.Add(ReadHeaderMatcher(header, path + ".match.headers"));
        }

        var regex = match.Map("safe_regex").Str("regex");
        var routeMatch = new RouteMatchConfig(
            match.Str("prefix"),
            match.Str("path"),
            regex is null ? null : new Regex($"^(?:{regex})$", RegexOptions.CultureInvariant),
            headers);
        if (routeMatch.Prefix is null && routeMatch.Path is null && routeMatch.SafeRegex is null)
        {
            throw new NotSupportedException($"{path}.match: only prefix, path and safe_regex matches are supported.");
        }

        RouteActionConfig? action = null;
        if (node.Map("route") is { } routeNode)
        {
            action = new RouteActionConfig(
                routeNode.Str("cluster"),
                routeNode.Str("cluster_header")?.ToLowerInvariant(),
                routeNode.Duration("timeout") ?? TimeSpan.FromSeconds(15),
                routeNode.Map("retry_policy") is { } retry ? ReadRetryPolicy(retry, $"{path}.route.retry_policy") : null)
            {
                RateLimits = RateLimitConfigReader.Entries(routeNode, path + ".route"),
                IncludeVhRateLimits = routeNode.Bool("include_vh_rate_limits"),
            };
            if (action.Cluster is null && action.ClusterHeader is null)
            {
                throw new NotSupportedException($"{path}.route: only cluster and cluster_header are supported.");
            }
        }

        DirectResponseConfig? direct = null;
        if (node.Map("direct_response") is { } directNode)
        {
            direct = new DirectResponseConfig((int)directNode.Long("status", 200), directNode.Map("body").Str("inline_string") ?? string.Empty);
        }

        if ((action is null) == (direct is null))
        {
            throw new NotSupportedException($"{path}: a route needs exactly one of route or direct_response.");
        }

        return new RouteConfig(node.Str("name") ?? string.Empty, routeMatch, action, direct, YamlStructConverter.ToMetadata(node.Map("metadata")))
        {
            TypedPerFilterConfig = ReadPerFilterConfig(node, path),
        };
    }

    private static StringMatcherConfig? ReadStringMatcher(YamlMappingNode? node)
    {
        if (node is null)
        {
            return null;
        }

        var regex = node.Map("safe_regex").Str("regex");
        return new StringMatcherConfig(
            node.Str("exact"),
            node.Str("prefix"),
            node.Str("suffix"),
            node.Str("contains"),
            regex is null ? null : new Regex($"^(?:{regex})$", RegexOptions.CultureInvariant),
            node.Bool("ignore_case"));
    }

    private static RetryPolicyConfig ReadRetryPolicy(YamlMappingNode node, string path)
    {
        var retryOn = (node.Str("retry_on") ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToHashSet(StringComparer.Ordinal);
        var codes = node.Strings("retriable_status_codes").Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToHashSet();
        var previousHosts = node.Maps("retry_host_predicate").Any(p => p.Str("name") == "envoy.retry_host_predicates.previous_hosts");
        int? updateFrequency = null;
        if (node.Map("retry_priority") is { } priority)
        {
            if (priority.Str("name") != "envoy.retry_priorities.previous_priorities")
            {
                throw new NotSupportedException($"{path}.retry_priority: only envoy.retry_priorities.previous_priorities is supported.");
            }

            updateFrequency = (int)priority.Map("typed_config").Long("update_frequency", 0);
            if (updateFrequency < 1)
            {
                throw new FormatException($"{path}.retry_priority.typed_config.update_frequency must be at least 1.");
            }
        }

        return new RetryPolicyConfig(
            retryOn,
            codes,
            (int)node.Long("num_retries", 1),
            previousHosts,
            (int)node.Long("host_selection_retry_max_attempts", 1),
            updateFrequency);
    }

    private static ClusterConfig ReadCluster(YamlMappingNode node, string path)
    {
        var name = node.Str("name") ?? throw new FormatException($"{path}: name is missing.");
        var priorities = new SortedDictionary<int, List<EndpointConfig>>();
        foreach (var group in node.Map("load_assignment").Maps("endpoints"))
        {
            var priority = (int)group.Long("priority", 0);
            if (!priorities.TryGetValue(priority, out var list))
            {
                priorities[priority] = list = [];
            }

            foreach (var lbEndpoint in group.Maps("lb_endpoints"))
            {
                var endpoint = lbEndpoint.Map("endpoint");
                list.Add(new EndpointConfig(
                    ReadAddress(endpoint.Map("address"), $"{path}.load_assignment"),
                    endpoint.Str("hostname"),
                    priority,
                    list.Count,
                    YamlStructConverter.ToMetadata(lbEndpoint.Map("metadata"))));
            }
        }

        var protocolOptions = node.Map("typed_extension_protocol_options").Map(HttpProtocolOptions);
        return new ClusterConfig(
            name,
            node.Duration("connect_timeout") ?? TimeSpan.FromSeconds(5),
            priorities.Select(p => new PriorityConfig(p.Key, p.Value)).ToArray(),
            ReadHttpFilters(protocolOptions, $"{path}.typed_extension_protocol_options.http_filters"),
            YamlStructConverter.ToMetadata(node.Map("metadata")));
    }

    private static string ReadAddress(YamlMappingNode? address, string path)
    {
        if (address.Map("socket_address") is { } socket)
        {
            return $"{socket.Str("address")}:{socket.Long("port_value", 0).ToString(CultureInfo.InvariantCulture)}";
        }

        if (address.Map("pipe").Str("path") is { } pipe)
        {
            return $"unix:{pipe}";
        }

        throw new FormatException($"{path}: endpoint address must be a socket_address or a pipe.");
    }

    /// <summary>Reads metadata written in a YAML mapping; exposed for filter factories.</summary>
    public static Metadata ReadMetadata(YamlMappingNode? node) => YamlStructConverter.ToMetadata(node);
}
