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
    public string TargetOf(ExtProcFilterConfig config) => TargetOf(config.ClusterName, config.TargetUri);

    /// <summary>The address of a <c>grpc_service</c>: its google_grpc target, or the first endpoint of its envoy_grpc cluster.</summary>
    public string TargetOf(string clusterName, string? targetUri)
    {
        if (targetUri is { } uri)
        {
            return uri;
        }

        if (!bootstrap.Clusters.TryGetValue(clusterName, out var cluster))
        {
            throw new InvalidOperationException($"grpc_service cluster '{clusterName}' is not defined in static_resources.clusters.");
        }

        return cluster.Priorities.SelectMany(p => p.Endpoints).FirstOrDefault()?.Address
            ?? throw new InvalidOperationException($"Cluster '{clusterName}' has no endpoints.");
    }

    public GrpcChannel Get(ExtProcFilterConfig config) => _channels.GetOrAdd(TargetOf(config), Create);

    public GrpcChannel Get(string clusterName, string? targetUri) => _channels.GetOrAdd(TargetOf(clusterName, targetUri), Create);

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
