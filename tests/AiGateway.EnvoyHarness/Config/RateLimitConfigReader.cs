using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace AiGateway.EnvoyHarness.Config;

/// <summary>Reads the rate limit filter's typed_config, rejecting what the harness does not run.</summary>
internal static class RateLimitConfigReader
{
    private static readonly string[] Units = ["UNKNOWN", "SECOND", "MINUTE", "HOUR", "DAY", "MONTH", "YEAR", "WEEK"];

    public static RateLimitFilterConfig Read(YamlMappingNode? config, string path)
    {
        if (config is null)
        {
            throw new FormatException($"{path}: the rate limit filter needs a typed_config.");
        }

        foreach (var unsupported in new[] { "stage", "request_type", "filter_enabled", "filter_enforced", "failure_mode_deny_percent", "rate_limited_as_resource_exhausted", "response_headers_to_add" })
        {
            if (config.Child(unsupported) is not null)
            {
                throw new NotSupportedException($"{path}: rate limit '{unsupported}' is not supported by the harness.");
            }
        }

        var domain = config.Str("domain") ?? throw new FormatException($"{path}: domain is required.");
        var grpc = config.Map("rate_limit_service").Map("grpc_service") ?? throw new FormatException($"{path}: rate_limit_service.grpc_service is required.");
        var headers = config.Str("enable_x_ratelimit_headers") ?? "OFF";
        var timeout = config.Duration("timeout") ?? TimeSpan.FromMilliseconds(20);
        return new RateLimitFilterConfig(
            domain,
            grpc.Map("envoy_grpc").Str("cluster_name") ?? string.Empty,
            grpc.Map("google_grpc").Str("target_uri"),
            timeout == TimeSpan.Zero ? null : timeout,
            config.Bool("failure_mode_deny"),
            headers == "DRAFT_VERSION_03",
            config.Bool("disable_x_envoy_ratelimited_header"),
            Status(config.Map("rate_limited_status"), 429, orAbove: 400),
            Status(config.Map("status_on_error"), 500, orAbove: 0),
            config.Maps("rate_limits").Select((entry, i) => Entry(entry, $"{path}.rate_limits[{i}]")).ToArray());
    }

    private static int Status(YamlMappingNode? node, int fallback, int orAbove)
    {
        if (node.Str("code") is not { } code)
        {
            return fallback;
        }

        var value = int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : (int)Enum.Parse<System.Net.HttpStatusCode>(code, ignoreCase: true);
        return value < orAbove ? fallback : value;
    }

    private static RateLimitEntryConfig Entry(YamlMappingNode entry, string path)
    {
        foreach (var unsupported in new[] { "stage", "disable_key", "x_ratelimit_option" })
        {
            if (entry.Child(unsupported) is not null)
            {
                throw new NotSupportedException($"{path}: '{unsupported}' is not supported by the harness.");
            }
        }

        var actions = entry.Maps("actions").Select((a, i) => Action(a, $"{path}.actions[{i}]")).ToArray();
        if (actions.Length == 0)
        {
            throw new FormatException($"{path}: actions must not be empty.");
        }

        var hits = entry.Map("hits_addend");
        ulong? number = hits.Child("number") is null ? null : (ulong)hits.Long("number", 0);
        var format = hits.Str("format") is { } text ? SubstitutionFormat.Parse(text) : null;
        (uint, int)? limit = null;
        if (entry.Map("limit") is { } limitNode)
        {
            var rate = limitNode.Map("rate_limit") ?? throw new NotSupportedException($"{path}.limit: only a static rate_limit is supported by the harness.");
            limit = ((uint)rate.Long("requests_per_unit", 0), Array.IndexOf(Units, (rate.Str("unit") ?? "UNKNOWN").ToUpperInvariant()));
        }

        return new RateLimitEntryConfig(actions, number, format, hits.Bool("is_negative_hits"), entry.Bool("apply_on_stream_done"), limit);
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

        if (action.Map("generic_key") is { } generic)
        {
            return new RateLimitActionConfig(
                RateLimitActionKind.GenericKey,
                generic.Str("descriptor_key") ?? "generic_key",
                DescriptorValue: generic.Str("descriptor_value") ?? throw new FormatException($"{path}: descriptor_value is required."));
        }

        if (action.Map("header_value_match") is { } match)
        {
            return new RateLimitActionConfig(
                RateLimitActionKind.HeaderValueMatch,
                match.Str("descriptor_key") ?? "header_match",
                DescriptorValue: match.Str("descriptor_value") ?? throw new FormatException($"{path}: descriptor_value is required."),
                ExpectMatch: match.Bool("expect_match", defaultValue: true),
                Headers: match.Maps("headers").Select(h => BootstrapLoader.ReadHeaderMatcher(h, path + ".headers")).ToArray());
        }

        if (action.Child("remote_address") is not null)
        {
            return new RateLimitActionConfig(RateLimitActionKind.RemoteAddress, "remote_address");
        }

        if (action.Child("destination_cluster") is not null)
        {
            return new RateLimitActionConfig(RateLimitActionKind.DestinationCluster, "destination_cluster");
        }

        if ((action.Map("metadata") ?? action.Map("dynamic_metadata")) is { } metadata)
        {
            if ((metadata.Str("source") ?? "DYNAMIC") != "DYNAMIC")
            {
                throw new NotSupportedException($"{path}: only metadata source DYNAMIC is supported by the harness.");
            }

            var key = metadata.Map("metadata_key") ?? throw new FormatException($"{path}: metadata_key is required.");
            var metadataPath = new List<string> { key.Str("key") ?? throw new FormatException($"{path}: metadata_key.key is required.") };
            metadataPath.AddRange(key.Maps("path").Select(p => p.Str("key") ?? string.Empty));
            return new RateLimitActionConfig(
                RateLimitActionKind.Metadata,
                metadata.Str("descriptor_key") ?? throw new FormatException($"{path}: descriptor_key is required."),
                DefaultValue: metadata.Str("default_value"),
                SkipIfAbsent: metadata.Bool("skip_if_absent"),
                MetadataPath: metadataPath);
        }

        throw new NotSupportedException($"{path}: this rate limit action is not supported by the harness.");
    }
}
