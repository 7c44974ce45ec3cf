using System.Globalization;
using System.Net;

namespace AiGateway.ExtProc.Hosting;

/// <summary>A listen address: <c>host:port</c> (IPv4, <c>[IPv6]</c>, <c>localhost</c>, <c>*</c>) or <c>unix:/path.sock</c>.</summary>
public sealed record ListenAddress(IPAddress? Address, int Port, string? UnixSocketPath)
{
    /// <summary>Parses the text form; false with a reason when it is not one.</summary>
    public static bool TryParse(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ListenAddress? address, out string? error)
    {
        address = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the address is empty";
            return false;
        }

        if (text.StartsWith("unix:", StringComparison.Ordinal))
        {
            var path = text[5..];
            if (path.Length == 0)
            {
                error = "unix: needs a socket path, e.g. unix:/var/run/aigw.sock";
                return false;
            }

            address = new ListenAddress(null, 0, path);
            return true;
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = $"'{text}' is not host:port or unix:/path";
            return false;
        }

        var host = text[..colon].Trim('[', ']');
        IPAddress? ip = host switch
        {
            "*" or "0.0.0.0" => IPAddress.Any,
            "localhost" => IPAddress.Loopback,
            _ => IPAddress.TryParse(host, out var parsed) ? parsed : null,
        };
        if (ip is null)
        {
            error = $"'{host}' is not an IP address, localhost or *";
            return false;
        }

        address = new ListenAddress(ip, port, null);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => UnixSocketPath is not null ? $"unix:{UnixSocketPath}" : $"{Address}:{Port}";
}
