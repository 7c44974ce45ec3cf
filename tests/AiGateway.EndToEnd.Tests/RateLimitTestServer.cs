using System.Net;
using AiGateway.RateLimit.Configuration;
using AiGateway.RateLimit.Service.Hosting;
using AiGateway.RateLimit.Storage;
using AiGateway.TestKit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiGateway.EndToEnd.Tests;

/// <summary>
/// <c>aigw serve ratelimit</c> in process, as the stack's `ratelimit` service: the hosting the command uses, the
/// in-memory store (the command's choice without Redis) and an injectable clock for window tests.
/// </summary>
public sealed class RateLimitTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RateLimitTestServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    /// <summary>The gRPC port on loopback.</summary>
    public int Port { get; }

    /// <summary><c>127.0.0.1:port</c>, for the harness's address overrides.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Starts the service over a config directory (or file); the configuration must load.</summary>
    public static async Task<RateLimitTestServer> StartAsync(string configPath, TimeProvider time)
    {
        var loaded = new RateLimitConfigLoader().LoadPath(configPath);
        if (!loaded.Succeeded)
        {
            throw new InvalidOperationException("rate-limit config is invalid:\n" + string.Join('\n', loaded.Errors));
        }

        var port = FreePort.Next();
        var app = RateLimitServer.Build(
            new RateLimitServerOptions
            {
                ConfigPath = configPath,
                GrpcEndpoint = new IPEndPoint(IPAddress.Loopback, port),
                AdminEndpoint = null,
                MeterName = "e2e-ratelimit-" + Guid.NewGuid().ToString("N"),
            },
            loaded.Config,
            _ => new InMemoryRateLimitStore(time),
            logging => logging.SetMinimumLevel(LogLevel.Warning),
            services => services.AddSingleton(time));
        await app.StartAsync();
        return new RateLimitTestServer(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
