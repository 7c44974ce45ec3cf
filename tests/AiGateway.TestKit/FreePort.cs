using System.Net;
using System.Net.Sockets;

namespace AiGateway.TestKit;

/// <summary>Finds a free loopback TCP port.</summary>
public static class FreePort
{
    /// <summary>A port nothing listens on right now.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
