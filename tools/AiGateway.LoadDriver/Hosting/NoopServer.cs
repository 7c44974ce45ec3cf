using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiGateway.LoadDriver.Hosting;

/// <summary>
/// <c>noop-server</c>: a minimal Kestrel gRPC ext_proc (and rate-limit) server, with the same HTTP/2 limits as
/// <c>aigw serve extproc</c> (src/AiGateway.ExtProc/Hosting/ExtProcServer.cs), so the difference to it is our processing.
/// </summary>
internal static class NoopServer
{
    public static async Task<int> RunAsync(string listen, bool closeEarly, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!TryParseLoopback(listen, out var endpoint))
        {
            await error.WriteLineAsync($"--listen: '{listen}' is not a loopback host:port").ConfigureAwait(false);
            return 2;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.Http2.MaxStreamsPerConnection = 4096;
            kestrel.Limits.Http2.InitialConnectionWindowSize = 8 * 1024 * 1024;
            kestrel.Limits.Http2.InitialStreamWindowSize = 2 * 1024 * 1024;
            kestrel.Limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(30);
            kestrel.Listen(endpoint, o => o.Protocols = HttpProtocols.Http2);
        });
        builder.Services.AddSingleton(new NoopOptions(closeEarly));
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = 64 * 1024 * 1024;
            grpc.MaxSendMessageSize = 64 * 1024 * 1024;
            grpc.EnableDetailedErrors = false;
        });

        await using var app = builder.Build();
        app.MapGrpcService<NoopExternalProcessor>();
        app.MapGrpcService<NoopRateLimitService>();
        await output.WriteLineAsync($"noop ext_proc: gRPC on {endpoint}{(closeEarly ? ", closing streams early" : "")}").ConfigureAwait(false);
        await app.RunAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    /// <summary>Parses <c>host:port</c> where host is a loopback address (the driver never listens elsewhere).</summary>
    public static bool TryParseLoopback(string text, out IPEndPoint endpoint)
    {
        endpoint = null!;
        var cut = text.LastIndexOf(':');
        if (cut <= 0 || !int.TryParse(text.AsSpan(cut + 1), out var port) || port is <= 0 or > 65535)
        {
            return false;
        }

        var host = text[..cut].Trim('[', ']');
        var address = string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var parsed) ? parsed : null;
        if (address is null || !IPAddress.IsLoopback(address))
        {
            return false;
        }

        endpoint = new IPEndPoint(address, port);
        return true;
    }
}
