using AiGateway.EnvoyHarness.Config;
using AiGateway.EnvoyHarness.ExtProc;
using AiGateway.EnvoyHarness.Upstream;

namespace AiGateway.EnvoyHarness.Filters;

/// <summary>
/// Builds the HCM and upstream filter chains. Filters are recognised by their typed_config <c>@type</c> (or their name when
/// there is none); unknown filters are skipped with a note. New filters (e.g. rate limit) get a case here.
/// </summary>
internal static class HttpFilterFactory
{
    private const string ExtProcType = "envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor";
    private const string RouterType = "envoy.extensions.filters.http.router.v3.Router";
    private const string HeaderMutationType = "envoy.extensions.filters.http.header_mutation.v3.HeaderMutation";
    private const string RateLimitType = "envoy.extensions.filters.http.ratelimit.v3.RateLimit";
    private const string UpstreamCodecType = "envoy.extensions.filters.http.upstream_codec.v3.UpstreamCodec";
    private const string SetFilterStateType = "envoy.extensions.filters.http.set_filter_state.v3.Config";

    public static HttpFilterPipeline CreateDownstreamPipeline(HarnessRuntime runtime)
    {
        var hcm = runtime.Bootstrap.Listener.ConnectionManager;
        var filters = new List<IHttpFilter>();
        var rateLimitFilterNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var filter in hcm.HttpFilters)
        {
            switch (KindOf(filter))
            {
                case ExtProcType:
                    var extProc = ExtProcConfigReader.Read(filter.TypedConfig, filter.YamlPath);
                    runtime.Channels.TargetOf(extProc);
                    filters.Add(new ExtProcFilter(extProc, hcm.StatPrefix));
                    break;
                case HeaderMutationType:
                    filters.Add(new HeaderMutationFilter(HeaderMutationConfigReader.Read(filter.TypedConfig, filter.YamlPath)));
                    break;
                case RateLimitType:
                    var rateLimit = RateLimitConfigReader.Read(filter.TypedConfig, filter.YamlPath, filter.Name, runtime.Bootstrap.Runtime, runtime.Notes);
                    runtime.Channels.TargetOf(rateLimit.ClusterName, rateLimit.TargetUri);
                    filters.Add(new RateLimitFilter(rateLimit, runtime));
                    rateLimitFilterNames.Add(filter.Name);
                    break;
                case SetFilterStateType:
                    filters.Add(SetFilterStateFilter.Create(filter.TypedConfig, filter.YamlPath));
                    break;
                case RouterType:
                    filters.Add(new RouterFilter(runtime));
                    NoteUnreadPerFilterConfigs(runtime, rateLimitFilterNames);
                    return new HttpFilterPipeline(filters);
                default:
                    runtime.Notes.Add($"{filter.YamlPath}: http filter '{filter.Name}' is not implemented by the harness and was skipped.");
                    break;
            }
        }

        throw new NotSupportedException("The HCM http_filters must end with envoy.filters.http.router.");
    }

    public static HttpFilterPipeline CreateUpstreamPipeline(HarnessRuntime runtime, ClusterConfig cluster, HttpClient client)
    {
        var filters = new List<IHttpFilter>();
        foreach (var filter in cluster.UpstreamHttpFilters)
        {
            switch (KindOf(filter))
            {
                case ExtProcType:
                    var extProc = ExtProcConfigReader.Read(filter.TypedConfig, filter.YamlPath);
                    runtime.Channels.TargetOf(extProc);
                    filters.Add(new ExtProcFilter(extProc, runtime.Bootstrap.Listener.ConnectionManager.StatPrefix));
                    break;
                case HeaderMutationType:
                    filters.Add(new HeaderMutationFilter(HeaderMutationConfigReader.Read(filter.TypedConfig, filter.YamlPath)));
                    break;
                case UpstreamCodecType:
                    filters.Add(new UpstreamCodecFilter(client));
                    return new HttpFilterPipeline(filters);
                default:
                    runtime.Notes.Add($"{filter.YamlPath}: upstream http filter '{filter.Name}' is not implemented by the harness and was skipped.");
                    break;
            }
        }

        if (cluster.UpstreamHttpFilters.Count > 0)
        {
            throw new NotSupportedException($"Cluster '{cluster.Name}': upstream http_filters must end with envoy.filters.http.upstream_codec.");
        }

        return new HttpFilterPipeline([new UpstreamCodecFilter(client)]);
    }

    /// <summary>Only rate limit filters read <c>typed_per_filter_config</c>; every other entry is noted as ignored.</summary>
    private static void NoteUnreadPerFilterConfigs(HarnessRuntime runtime, HashSet<string> readers)
    {
        var table = runtime.Bootstrap.Listener.ConnectionManager.RouteConfig;
        var scopes = new[] { table.TypedPerFilterConfig }
            .Concat(table.VirtualHosts.Select(h => h.TypedPerFilterConfig))
            .Concat(table.VirtualHosts.SelectMany(h => h.Routes).Select(r => r.TypedPerFilterConfig));
        foreach (var (name, config) in scopes.SelectMany(s => s))
        {
            if (!readers.Contains(name))
            {
                runtime.Notes.Add($"{config.YamlPath}: per-route config for '{name}' ignored: the harness reads typed_per_filter_config only for the rate limit filter.");
            }
        }
    }

    private static string KindOf(HttpFilterConfig filter)
    {
        if (filter.TypedConfig.Str("@type") is { } typeUrl)
        {
            return typeUrl[(typeUrl.LastIndexOf('/') + 1)..];
        }

        return filter.Name.Split('/')[0] switch
        {
            "envoy.filters.http.ext_proc" => ExtProcType,
            "envoy.filters.http.router" => RouterType,
            "envoy.filters.http.header_mutation" => HeaderMutationType,
            "envoy.filters.http.ratelimit" => RateLimitType,
            "envoy.filters.http.upstream_codec" => UpstreamCodecType,
            "envoy.filters.http.set_filter_state" => SetFilterStateType,
            var other => other,
        };
    }
}
