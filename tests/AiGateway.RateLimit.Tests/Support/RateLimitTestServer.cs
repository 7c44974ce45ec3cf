using System.Net;
using AiGateway.RateLimit.Configuration;
using AiGateway.RateLimit.Limiting;
using AiGateway.RateLimit.Service;
using AiGateway.RateLimit.Service.Hosting;
using AiGateway.RateLimit.Storage;
using AiGateway.TestKit;
using Envoy.Service.Ratelimit.V3;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AiGateway.RateLimit.Tests.Support;

/// <summary>The rate-limit service on real Kestrel with loopback ports, and a gRPC client for it.</summary>
public sealed class RateLimitTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RateLimitTestServer(WebApplication app, int grpcPort, int adminPort, LogCapture logs)
    {
        _app = app;
        Logs = logs;
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        Client = new RateLimitService.RateLimitServiceClient(Channel);
        Admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}") };
    }

    public GrpcChannel Channel { get; }

    public RateLimitService.RateLimitServiceClient Client { get; }

    public HttpClient Admin { get; }

    public LogCapture Logs { get; }

    public IServiceProvider Services => _app.Services;

    public RateLimitConfigReloadService Reloader => _app.Services.GetServices<IHostedService>().OfType<RateLimitConfigReloadService>().Single();

    /// <summary>Starts a server on the config at <paramref name="configPath"/>; Redis when <paramref name="redis"/> is given, else in memory.</summary>
    public static async Task<RateLimitTestServer> StartAsync(string configPath, string? redis = null, RateLimiterOptions? limiter = null, RateLimitServiceOptions? service = null, RedisStoreOptions? redisOptions = null)
    {
        var loaded = new RateLimitConfigLoader().LoadPath(configPath);
        Assert.True(loaded.Succeeded, string.Join('\n', loaded.Errors));
        IRateLimitStore store = redis is null
            ? new InMemoryRateLimitStore(TimeProvider.System)
            : await RedisRateLimitStore.ConnectAsync(redis, null, redisOptions ?? new RedisStoreOptions { Deadline = TimeSpan.FromSeconds(5) }, TimeProvider.System);
        var grpcPort = FreePort.Next();
        var adminPort = FreePort.Next();
        var logs = new LogCapture();
        var options = new RateLimitServerOptions
        {
            ConfigPath = configPath,
            GrpcEndpoint = new IPEndPoint(IPAddress.Loopback, grpcPort),
            AdminEndpoint = new IPEndPoint(IPAddress.Loopback, adminPort),
            ReloadInterval = TimeSpan.FromHours(1),
            MeterName = "AiGateway.RateLimit.Test." + Guid.NewGuid().ToString("N"),
            Limiter = limiter ?? new RateLimiterOptions(),
            Service = service ?? new RateLimitServiceOptions(),
        };
        var app = RateLimitServer.Build(options, loaded.Config, _ => store, logging => logging.AddProvider(logs));
        await app.StartAsync();
        return new RateLimitTestServer(app, grpcPort, adminPort, logs);
    }

    public async Task<string> MetricsAsync() => await Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative));

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        Admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
