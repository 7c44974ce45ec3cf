using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AiGateway.EnvoyHarness.Upstream;

/// <summary>Turns an address written in envoy.yaml into the endpoint the harness really connects to.</summary>
internal sealed class AddressResolver(IReadOnlyDictionary<string, string> overrides)
{
    public EndPoint Resolve(string configuredAddress)
    {
        var target = overrides.TryGetValue(configuredAddress, out var mapped) ? mapped : configuredAddress;
        if (target.StartsWith("unix:", StringComparison.Ordinal))
        {
            return new UnixDomainSocketEndPoint(target["unix:".Length..]);
        }

        var colon = target.LastIndexOf(':');
        if (colon <= 0)
        {
            throw new FormatException($"Address '{target}' must be host:port or unix:/path.");
        }

        var host = target[..colon].Trim('[', ']');
        var port = int.Parse(target[(colon + 1)..], CultureInfo.InvariantCulture);
        return IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);
    }

    /// <summary>Opens a connection to <paramref name="endPoint"/> (TCP or Unix socket).</summary>
    public static async ValueTask<Stream> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = endPoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
