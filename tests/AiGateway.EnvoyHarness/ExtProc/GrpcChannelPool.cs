using System.Collections.Concurrent;
using AiGateway.EnvoyHarness.Config;
using AiGateway.EnvoyHarness.Upstream;
using Grpc.Net.Client;

namespace AiGateway.EnvoyHarness.ExtProc;

/// <summary>One h2c gRPC channel per side-stream target (the first endpoint of the <c>envoy_grpc</c> cluster).</summary>
internal sealed class GrpcChannelPool(BootstrapConfig bootstrap, AddressResolver addresses) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, GrpcChannel> _channels = new(StringComparer.Ordinal);

    /// <summary>The address the filter talks to, as written in the YAML; throws when the cluster does not exist (as Envoy's config load would).</summary>
    public string TargetOf(ExtProcFilterConfig config)
    {
        if (config.TargetUri is { } uri)
        {
            return uri;
        }

        if (!bootstrap.Clusters.TryGetValue(config.ClusterName, out var cluster))
        {
            throw new InvalidOperationException($"ext_proc grpc_service cluster '{config.ClusterName}' is not defined in static_resources.clusters.");
        }

        return cluster.Priorities.SelectMany(p => p.Endpoints).FirstOrDefault()?.Address
            ?? throw new InvalidOperationException($"Cluster '{config.ClusterName}' has no endpoints.");
    }

    public GrpcChannel Get(ExtProcFilterConfig config) => _channels.GetOrAdd(TargetOf(config), Create);

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels.Values)
        {
            await channel.ShutdownAsync();
            channel.Dispose();
        }
    }

    private GrpcChannel Create(string address)
    {
        var endPoint = addresses.Resolve(address);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = (_, cancellationToken) => AddressResolver.ConnectAsync(endPoint, cancellationToken),
            EnableMultipleHttp2Connections = true,
            UseProxy = false,
        };
        var authority = address.StartsWith("unix:", StringComparison.Ordinal) ? "localhost" : address;
        return GrpcChannel.ForAddress($"http://{authority}", new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = null,
            MaxSendMessageSize = null,
        });
    }
}
