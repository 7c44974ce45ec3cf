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

    public static HttpFilterPipeline CreateDownstreamPipeline(HarnessRuntime runtime)
    {
        var hcm = runtime.Bootstrap.Listener.ConnectionManager;
        var filters = new List<IHttpFilter>();
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
                    var rateLimit = RateLimitConfigReader.Read(filter.TypedConfig, filter.YamlPath);
                    runtime.Channels.TargetOf(rateLimit.ClusterName, rateLimit.TargetUri);
                    filters.Add(new RateLimitFilter(rateLimit, runtime));
                    break;
                case RouterType:
                    filters.Add(new RouterFilter(runtime));
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
            var other => other,
        };
    }
}
