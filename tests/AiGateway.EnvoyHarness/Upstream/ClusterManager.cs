using System.Net.Http;
using AiGateway.EnvoyHarness.Config;
using AiGateway.EnvoyHarness.Filters;

namespace AiGateway.EnvoyHarness.Upstream;

/// <summary>All static clusters with their upstream filter chains (built once).</summary>
internal sealed class ClusterManager : IDisposable
{
    private readonly Dictionary<string, UpstreamCluster> _clusters = new(StringComparer.Ordinal);

    public ClusterManager(HarnessRuntime runtime)
    {
        foreach (var config in runtime.Bootstrap.Clusters.Values)
        {
            var handler = new SocketsHttpHandler
            {
                ConnectTimeout = config.ConnectTimeout,
                ConnectCallback = (context, cancellationToken) =>
                {
                    var address = context.InitialRequestMessage.Options.TryGetValue(UpstreamCodecFilter.TargetAddressKey, out var target)
                        ? target
                        : throw new InvalidOperationException("Upstream request without a target address.");
                    return AddressResolver.ConnectAsync(runtime.Addresses.Resolve(address), cancellationToken);
                },
                UseProxy = false,
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = System.Net.DecompressionMethods.None,
            };
            var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
            var pipeline = HttpFilterFactory.CreateUpstreamPipeline(runtime, config, client);
            _clusters[config.Name] = new UpstreamCluster(config, pipeline, client);
        }
    }

    public UpstreamCluster? Get(string name) => _clusters.GetValueOrDefault(name);

    public void Dispose()
    {
        foreach (var cluster in _clusters.Values)
        {
            cluster.Dispose();
        }
    }
}
