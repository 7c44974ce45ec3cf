using AiGateway.EnvoyHarness.Config;
using AiGateway.EnvoyHarness.ExtProc;
using AiGateway.EnvoyHarness.Routing;
using AiGateway.EnvoyHarness.Upstream;

namespace AiGateway.EnvoyHarness;

/// <summary>Everything shared by all requests of one harness: parsed config, routes, clusters, gRPC channels, stats, clock.</summary>
internal sealed class HarnessRuntime : IAsyncDisposable
{
    public HarnessRuntime(BootstrapConfig bootstrap, AddressResolver addresses, TimeProvider timeProvider)
    {
        Bootstrap = bootstrap;
        Addresses = addresses;
        TimeProvider = timeProvider;
        Routes = new RouteTable(bootstrap.Listener.ConnectionManager.RouteConfig);
        Channels = new GrpcChannelPool(bootstrap, addresses);
        Clusters = new ClusterManager(this);
    }

    public BootstrapConfig Bootstrap { get; }

    public AddressResolver Addresses { get; }

    public TimeProvider TimeProvider { get; }

    public RouteTable Routes { get; }

    public GrpcChannelPool Channels { get; }

    public ClusterManager Clusters { get; }

    public EnvoyHarnessStats Stats { get; } = new();

    public List<string> Notes { get; } = [];

    public async ValueTask DisposeAsync()
    {
        Clusters.Dispose();
        await Channels.DisposeAsync();
    }
}
