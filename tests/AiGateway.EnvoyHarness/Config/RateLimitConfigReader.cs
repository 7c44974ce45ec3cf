using System.Globalization;
using Envoy.Config.Core.V3;
using YamlDotNet.RepresentationModel;

namespace AiGateway.EnvoyHarness.Config;

/// <summary>
/// Reads the rate limit filter's typed_config, <c>config.route.v3.RateLimit</c> entries (filter-level, per-route and
/// route/virtual host) and <c>RateLimitPerRoute</c>, rejecting what the harness does not run. Field names are Envoy's.
/// </summary>
internal static class RateLimitConfigReader
{
    /// <summary>The filter's default <c>metadata_namespace</c> for the service's dynamic_metadata.</summary>
    public const string DefaultMetadataNamespace = "envoy.filters.http.ratelimit";

    private const string PerRouteType = "envoy.extensions.filters.http.ratelimit.v3.RateLimitPerRoute";

    /// <summary><c>envoy.type.v3.RateLimitUnit</c> names by number: no WEEK (WEEK exists only in the service's response enum).</summary>
    internal static readonly string[] OverrideUnits = ["UNKNOWN", "SECOND", "MINUTE", "HOUR", "DAY", "MONTH", "YEAR"];

    public static RateLimitFilterConfig Read(YamlMappingNode? config, string path, string filterName, StaticRuntime runtime, List<string> notes)
    {
        if (config is null)
        {
            throw new FormatException($"{path}: the rate limit filter needs a typed_config.");
        }

        var domain = config.Str("domain") ?? throw new FormatException($"{path}: domain is required.");
        var grpc = config.Map("rate_limit_service").Map("grpc_service") ?? throw new FormatException($"{path}: rate_limit_service.grpc_service is required.");
        var headers = config.Str("enable_x_ratelimit_headers") ?? "OFF";
        if (headers is not ("OFF" or "DRAFT_VERSION_03"))
        {
            throw new FormatException($"{path}.enable_x_ratelimit_headers: '{headers}' is not OFF or DRAFT_VERSION_03.");
        }

        var timeout = config.Duration("timeout") ?? TimeSpan.FromMilliseconds(20);
        var requestType = (config.Str("request_type") ?? "both") switch
        {
            "both" or "" => RateLimitRequestType.Both,
            "internal" => RateLimitRequestType.Internal,
            "external" => RateLimitRequestType.External,
            var other => throw new FormatException($"{path}.request_type: '{other}' is not internal, external or both."),
        };
        if (config.Bool("rate_limited_as_resource_exhausted"))
        {
            notes.Add($"{path}.rate_limited_as_resource_exhausted has no effect: the harness has no gRPC downstream clients.");
        }

        if (config.Str("stat_prefix") is { Length: > 0 })
        {
            notes.Add($"{path}.stat_prefix ignored: the harness counts cluster.<cluster>.ratelimit.* without it.");
        }

        var failureModeDeny = runtime.FractionEnabled(config.Map("failure_mode_deny_percent"), path + ".failure_mode_deny_percent") ?? config.Bool("failure_mode_deny");
        return new RateLimitFilterConfig(
            filterName,
            domain,
            Stage(config, path),
            requestType,
            grpc.Map("envoy_grpc").Str("cluster_name") ?? string.Empty,
            grpc.Map("google_grpc").Str("target_uri"),
            timeout == TimeSpan.Zero ? null : timeout,
            failureModeDeny,
            headers == "DRAFT_VERSION_03",
            config.Bool("disable_x_envoy_ratelimited_header"),
            Status(config.Map("rate_limited_status"), 429, from: 400, to: int.MaxValue),
            Status(config.Map("status_on_error"), 500, from: 100, to: 511),
            ResponseHeadersToAdd(config, path),
            config.Str("metadata_namespace") is { Length: > 0 } ns ? ns : DefaultMetadataNamespace,
            runtime.FractionEnabled(config.Map("filter_enabled"), path + ".filter_enabled") ?? runtime.FeatureEnabled("ratelimit.http_filter_enabled", 100, path),
            runtime.FractionEnabled(config.Map("filter_enforced"), path + ".filter_enforced") ?? runtime.FeatureEnabled("ratelimit.http_filter_enforcing", 100, path),
            Entries(config, path));
    }

    /// <summary>A <c>rate_limits</c> list (filter-level, per-route, route action or virtual host).</summary>
    public static IReadOnlyList<RateLimitEntryConfig> Entries(YamlMappingNode? parent, string path) =>
        parent.Maps("rate_limits").Select((entry, i) => Entry(entry, $"{path}.rate_limits[{i}]")).ToArray();

    /// <summary>Whether a <c>typed_per_filter_config</c> value is a <c>RateLimitPerRoute</c>.</summary>
    public static bool IsPerRoute(YamlMappingNode? node) => node.Str("@type")?.EndsWith("/" + PerRouteType, StringComparison.Ordinal) == true;

    /// <summary>Reads a <c>RateLimitPerRoute</c> (<c>override_option</c> is not implemented by Envoy and is rejected unless DEFAULT).</summary>
    public static RateLimitPerRouteConfig ReadPerRoute(YamlMappingNode node, string path)
    {
        if (node.Str("override_option") is { } option && option != "DEFAULT")
        {
            throw new NotSupportedException($"{path}.override_option: not implemented by Envoy (envoy-protocol.md §3.8); use vh_rate_limits.");
        }

        var vh = (node.Str("vh_rate_limits") ?? "OVERRIDE") switch
        {
            "OVERRIDE" => VhRateLimitsOption.Override,
            "INCLUDE" => VhRateLimitsOption.Include,
            "IGNORE" => VhRateLimitsOption.Ignore,
            var other => throw new FormatException($"{path}.vh_rate_limits: '{other}' is not OVERRIDE, INCLUDE or IGNORE."),
        };
        return new RateLimitPerRouteConfig(vh, node.Str("domain") is { Length: > 0 } domain ? domain : null, Entries(node, path));
    }

    private static int Stage(YamlMappingNode node, string path)
    {
        var stage = node.Long("stage", 0);
        return stage is < 0 or > 10 ? throw new FormatException($"{path}.stage: {stage} is outside 0–10.") : (int)stage;
    }

    /// <summary>An <c>HttpStatus</c> code (number or enum name); outside <paramref name="from"/>–<paramref name="to"/> it is <paramref name="fallback"/>.</summary>
    private static int Status(YamlMappingNode? node, int fallback, int from, int to)
    {
        if (node.Str("code") is not { } code)
        {
            return fallback;
        }

        var value = int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : (int)Enum.Parse<System.Net.HttpStatusCode>(code, ignoreCase: true);
        return value < from || value > to ? fallback : value;
    }

    /// <summary><c>response_headers_to_add</c>: at most 10 HeaderValueOptions, values are substitution formats.</summary>
    private static IReadOnlyList<HeaderMutationRuleConfig> ResponseHeadersToAdd(YamlMappingNode config, string path)
    {
        var options = config.Maps("response_headers_to_add").ToArray();
        if (options.Length > 10)
        {
            throw new FormatException($"{path}.response_headers_to_add: at most 10 headers.");
        }

        return options.Select((option, i) =>
        {
            var at = $"{path}.response_headers_to_add[{i}]";
            var header = option.Map("header") ?? throw new FormatException($"{at}.header is required.");
            var action = option.Str("append_action") is { } text
                ? Enum.Parse<HeaderValueOption.Types.HeaderAppendAction>(text.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true)
                : option.Child("append") is not null && !option.Bool("append")
                    ? HeaderValueOption.Types.HeaderAppendAction.OverwriteIfExistsOrAdd
                    : HeaderValueOption.Types.HeaderAppendAction.AppendIfExistsOrAdd;
            return new HeaderMutationRuleConfig(
                null,
                (header.Str("key") ?? throw new FormatException($"{at}.header.key is required.")).ToLowerInvariant(),
                SubstitutionFormat.Parse(header.Str("value") ?? string.Empty),
                action,
                option.Bool("keep_empty_value"));
        }).ToArray();
    }

    private static RateLimitEntryConfig Entry(YamlMappingNode entry, string path)
    {
        var actions = entry.Maps("actions").Select((a, i) => Action(a, $"{path}.actions[{i}]")).ToArray();
        if (actions.Length == 0)
        {
            throw new FormatException($"{path}: actions must not be empty.");
        }

        var hits = entry.Map("hits_addend");
        ulong? number = null;
        if (hits.Child("number") is not null)
        {
            var value = hits.Long("number", 0);
            number = value is < 0 or > 1_000_000_000 ? throw new FormatException($"{path}.hits_addend.number: {value} is outside 0–1e9.") : (ulong)value;
        }

        var format = hits.Str("format") is { } text ? SubstitutionFormat.Parse(text) : null;
        if (number is not null && format is not null)
        {
            throw new FormatException($"{path}.hits_addend: number and format are exclusive.");
        }

        var option = (entry.Str("x_ratelimit_option") ?? "UNSPECIFIED") switch
        {
            "UNSPECIFIED" => XRateLimitOption.Unspecified,
            "OFF" => XRateLimitOption.Off,
            "DRAFT_VERSION_03" => XRateLimitOption.DraftVersion03,
            var other => throw new FormatException($"{path}.x_ratelimit_option: '{other}' is not UNSPECIFIED, OFF or DRAFT_VERSION_03."),
        };
        return new RateLimitEntryConfig(
            actions,
            number,
            format,
            hits.Bool("is_negative_hits"),
            entry.Bool("apply_on_stream_done"),
            Override(entry.Map("limit"), path + ".limit"),
            Stage(entry, path),
            entry.Str("disable_key") is { Length: > 0 } key ? key : null,
            option);
    }

    private static RateLimitOverrideConfig? Override(YamlMappingNode? limit, string path)
    {
        if (limit is null)
        {
            return null;
        }

        if (limit.Map("rate_limit") is { } rate)
        {
            var unitName = rate.Str("unit") ?? throw new FormatException($"{path}.rate_limit.unit is required.");
            var unit = Array.IndexOf(OverrideUnits, unitName);
            if (unit <= 0)
            {
                throw new FormatException($"{path}.rate_limit.unit: '{unitName}' is not a RateLimitUnit (SECOND … YEAR).");
            }

            return new RateLimitOverrideConfig(((uint)rate.Long("requests_per_unit", 0), unit), null);
        }

        if (limit.Map("dynamic_metadata") is { } dynamic)
        {
            return new RateLimitOverrideConfig(null, MetadataPath(dynamic, path + ".dynamic_metadata"));
        }

        throw new FormatException($"{path}: needs dynamic_metadata or rate_limit.");
    }

    private static List<string> MetadataPath(YamlMappingNode node, string path)
    {
        var key = node.Map("metadata_key") ?? throw new FormatException($"{path}: metadata_key is required.");
        var metadataPath = new List<string> { key.Str("key") ?? throw new FormatException($"{path}: metadata_key.key is required.") };
        metadataPath.AddRange(key.Maps("path").Select(p => p.Str("key") ?? string.Empty));
        return metadataPath;
    }

    private static RateLimitActionConfig Action(YamlMappingNode action, string path)
    {
        if (action.Map("request_headers") is { } requestHeaders)
        {
            return new RateLimitActionConfig(
                RateLimitActionKind.RequestHeaders,
                requestHeaders.Str("descriptor_key") ?? throw new FormatException($"{path}: descriptor_key is required."),
                HeaderName: (requestHeaders.Str("header_name") ?? throw new FormatException($"{path}: header_name is required.")).ToLowerInvariant(),
                SkipIfAbsent: requestHeaders.Bool("skip_if_absent"));
        }

        if (action.Map("query_parameters") is { } query)
        {
            return new RateLimitActionConfig(
                RateLimitActionKind.QueryParameters,
                query.Str("descriptor_key") ?? throw new FormatException($"{path}: descriptor_key is required."),
                HeaderName: query.Str("query_parameter_name") ?? throw new FormatException($"{path}: query_parameter_name is required."),
                SkipIfAbsent: query.Bool("skip_if_absent"));
        }

        if (action.Map("generic_key") is { } generic)
        {
            return new RateLimitActionConfig(
                RateLimitActionKind.GenericKey,
                generic.Str("descriptor_key") is { Length: > 0 } key ? key : "generic_key",
                DescriptorValue: generic.Str("descriptor_value") is { Length: > 0 } value ? value : throw new FormatException($"{path}: descriptor_value is required."),
                DefaultValue: generic.Str("default_value"));
        }

        if (action.Map("header_value_match") is { } match)
        {
            return new RateLimitActionConfig(
                RateLimitActionKind.HeaderValueMatch,
                match.Str("descriptor_key") is { Length: > 0 } key ? key : "header_match",
                DescriptorValue: match.Str("descriptor_value") ?? throw new FormatException($"{path}: descriptor_value is required."),
                ExpectMatch: match.Bool("expect_match", defaultValue: true),
                Headers: match.Maps("headers").Select(h => BootstrapLoader.ReadHeaderMatcher(h, path + ".headers")).ToArray());
        }

        if (action.Child("remote_address") is not null)
        {
            return new RateLimitActionConfig(RateLimitActionKind.RemoteAddress, "remote_address");
        }

        if (action.Child("masked_remote_address") is { } maskedNode)
        {
            var masked = maskedNode as YamlMappingNode;
            var v4 = masked.Long("v4_prefix_mask_len", 32);
            var v6 = masked.Long("v6_prefix_mask_len", 128);
            if (v4 is < 0 or > 32 || v6 is < 0 or > 128)
            {
                throw new FormatException($"{path}.masked_remote_address: prefix lengths must be 0–32 (v4) and 0–128 (v6).");
            }

            return new RateLimitActionConfig(RateLimitActionKind.MaskedRemoteAddress, "masked_remote_address", V4PrefixLength: (int)v4, V6PrefixLength: (int)v6);
        }

        if (action.Child("destination_cluster") is not null)
        {
            return new RateLimitActionConfig(RateLimitActionKind.DestinationCluster, "destination_cluster");
        }

        if ((action.Map("metadata") ?? action.Map("dynamic_metadata")) is { } metadata)
        {
            var source = (metadata.Str("source") ?? "DYNAMIC") switch
            {
                "DYNAMIC" => RateLimitMetadataSource.Dynamic,
                "ROUTE_ENTRY" => RateLimitMetadataSource.RouteEntry,
                "CLUSTER_ENTRY" => RateLimitMetadataSource.ClusterEntry,
                var other => throw new NotSupportedException($"{path}: metadata source '{other}' is not supported by the harness (DYNAMIC, ROUTE_ENTRY, CLUSTER_ENTRY)."),
            };
            return new RateLimitActionConfig(
                RateLimitActionKind.Metadata,
                metadata.Str("descriptor_key") ?? throw new FormatException($"{path}: descriptor_key is required."),
                DefaultValue: metadata.Str("default_value") is { Length: > 0 } fallback ? fallback : null,
                SkipIfAbsent: metadata.Bool("skip_if_absent"),
                MetadataPath: MetadataPath(metadata, path),
                MetadataSource: source);
        }

        var name = action.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).FirstOrDefault() ?? "(empty)";
        throw new NotSupportedException($"{path}: rate limit action '{name}' is not supported by the harness.");
    }
}
