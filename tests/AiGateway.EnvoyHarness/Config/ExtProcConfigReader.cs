using System.Globalization;
using System.Text.RegularExpressions;
using Envoy.Extensions.Filters.Http.ExtProc.V3;
using YamlDotNet.RepresentationModel;
using BodySendMode = Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types.BodySendMode;
using HeaderSendMode = Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types.HeaderSendMode;

namespace AiGateway.EnvoyHarness.Config;

/// <summary>Reads an <c>ExternalProcessor</c> typed_config.</summary>
internal static class ExtProcConfigReader
{
    public static ExtProcFilterConfig Read(YamlMappingNode? config, string path)
    {
        if (config is null)
        {
            throw new FormatException($"{path}: ext_proc needs a typed_config.");
        }

        if (config.Child("http_service") is not null)
        {
            throw new NotSupportedException($"{path}: ext_proc http_service is not supported; use grpc_service.");
        }

        foreach (var unsupported in new[] { "observability_mode", "send_body_without_waiting_for_header_response" })
        {
            if (config.Bool(unsupported))
            {
                throw new NotSupportedException($"{path}: ext_proc {unsupported} is not supported by the harness.");
            }
        }

        var grpc = config.Map("grpc_service") ?? throw new FormatException($"{path}: grpc_service is missing.");
        var metadata = grpc.Maps("initial_metadata")
            .Select(m => new KeyValuePair<string, string>((m.Str("key") ?? string.Empty).ToLowerInvariant(), m.Str("value") ?? string.Empty))
            .ToArray();
        var mode = ReadProcessingMode(config.Map("processing_mode"), path);
        var rules = config.Map("mutation_rules");
        var routeCacheAction = Enum.Parse<RouteCacheAction>(config.Str("route_cache_action") ?? "DEFAULT", ignoreCase: true);
        if (config.Bool("disable_clear_route_cache"))
        {
            if (routeCacheAction != RouteCacheAction.Default)
            {
                throw new FormatException($"{path}: disable_clear_route_cache and route_cache_action cannot both be set.");
            }

            routeCacheAction = RouteCacheAction.Retain;
        }

        return new ExtProcFilterConfig(
            grpc.Map("envoy_grpc").Str("cluster_name") ?? string.Empty,
            grpc.Map("google_grpc").Str("target_uri"),
            metadata,
            config.Bool("failure_mode_allow"),
            mode,
            config.Duration("message_timeout") ?? TimeSpan.FromMilliseconds(200),
            config.Duration("max_message_timeout"),
            config.Bool("allow_mode_override"),
            config.Strings("request_attributes"),
            config.Strings("response_attributes"),
            rules is null ? MutationRulesConfig.Default : new MutationRulesConfig(
                rules.Bool("allow_all_routing"),
                rules.Bool("allow_envoy"),
                rules.Bool("disallow_system"),
                rules.Bool("disallow_all"),
                rules.Bool("disallow_is_error"),
                ReadRegex(rules.Map("allow_expression")),
                ReadRegex(rules.Map("disallow_expression"))),
            config.Map("metadata_options").Map("forwarding_namespaces").Strings("untyped"),
            config.Map("metadata_options").Map("receiving_namespaces").Strings("untyped"),
            routeCacheAction,
            ReadStatus(config.Map("status_on_error")) ?? 500,
            config.Bool("disable_immediate_response"),
            config.Str("stat_prefix") ?? string.Empty);
    }

    private static ProcessingMode ReadProcessingMode(YamlMappingNode? node, string path)
    {
        var mode = new ProcessingMode
        {
            RequestHeaderMode = ReadHeaderMode(node.Str("request_header_mode"), HeaderSendMode.Send),
            ResponseHeaderMode = ReadHeaderMode(node.Str("response_header_mode"), HeaderSendMode.Send),
            RequestBodyMode = ReadBodyMode(node.Str("request_body_mode")),
            ResponseBodyMode = ReadBodyMode(node.Str("response_body_mode")),
            RequestTrailerMode = ReadHeaderMode(node.Str("request_trailer_mode"), HeaderSendMode.Skip),
            ResponseTrailerMode = ReadHeaderMode(node.Str("response_trailer_mode"), HeaderSendMode.Skip),
        };
        foreach (var body in new[] { mode.RequestBodyMode, mode.ResponseBodyMode })
        {
            if (body is not (BodySendMode.None or BodySendMode.Buffered or BodySendMode.Streamed))
            {
                throw new NotSupportedException($"{path}.processing_mode: body mode {body} is not supported by the harness (NONE, STREAMED, BUFFERED are).");
            }
        }

        if (mode.RequestTrailerMode == HeaderSendMode.Send || mode.ResponseTrailerMode == HeaderSendMode.Send)
        {
            throw new NotSupportedException($"{path}.processing_mode: trailers are not supported by the harness.");
        }

        return mode;
    }

    private static HeaderSendMode ReadHeaderMode(string? text, HeaderSendMode defaultMode)
    {
        var mode = text is null ? HeaderSendMode.Default : Enum.Parse<HeaderSendMode>(text, ignoreCase: true);
        return mode == HeaderSendMode.Default ? defaultMode : mode;
    }

    private static BodySendMode ReadBodyMode(string? text) =>
        text is null ? BodySendMode.None : Enum.Parse<BodySendMode>(text.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true);

    private static Regex? ReadRegex(YamlMappingNode? node) =>
        node.Str("regex") is { } regex ? new Regex($"^(?:{regex})$", RegexOptions.CultureInvariant) : null;

    private static int? ReadStatus(YamlMappingNode? node)
    {
        var code = node.Str("code");
        if (code is null)
        {
            return null;
        }

        return int.TryParse(code, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : (int)Enum.Parse<Envoy.Type.V3.StatusCode>(code, ignoreCase: true);
    }
}
