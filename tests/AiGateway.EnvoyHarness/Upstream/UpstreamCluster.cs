using AiGateway.EnvoyHarness.Config;
using AiGateway.EnvoyHarness.Filters;

namespace AiGateway.EnvoyHarness.Upstream;

/// <summary>A cluster at run time: its upstream filter chain, HTTP client and round-robin position per priority.</summary>
internal sealed class UpstreamCluster(ClusterConfig config, HttpFilterPipeline pipeline, HttpClient client) : IDisposable
{
    private readonly int[] _next = new int[config.Priorities.Count];

    public ClusterConfig Config { get; } = config;

    public HttpFilterPipeline Pipeline { get; } = pipeline;

    public HttpClient Client { get; } = client;

    /// <summary>Round robin inside the priority at <paramref name="priorityIndex"/> (index into <see cref="ClusterConfig.Priorities"/>).</summary>
    public EndpointConfig NextHost(int priorityIndex)
    {
        var endpoints = Config.Priorities[priorityIndex].Endpoints;
        var index = Interlocked.Increment(ref _next[priorityIndex]) - 1;
        return endpoints[index % endpoints.Count];
    }

    public void Dispose() => Client.Dispose();
}
