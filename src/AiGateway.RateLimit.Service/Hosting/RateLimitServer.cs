using AiGateway.RateLimit.Configuration;
using AiGateway.RateLimit.Limiting;
using AiGateway.RateLimit.Storage;
using AiGateway.RateLimit.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using StackExchange.Redis;

namespace AiGateway.RateLimit.Service.Hosting;

/// <summary>
/// Builds the <c>aigw serve ratelimit</c> process: <c>envoy.service.ratelimit.v3</c> and gRPC health on one address,
/// <c>/healthz</c>, <c>/healthcheck</c> and <c>/metrics</c> on another, and a config directory watcher. Starting the app
/// prepares the store and warms the hot path (<see cref="RateLimitWarmup"/>) before the listeners open.
/// </summary>
public static class RateLimitServer
{
    /// <summary>Builds the server for a configuration that already loaded and a store that is connected (or connecting).</summary>
    /// <param name="options">Addresses and settings.</param>
    /// <param name="initial">The first configuration (a bad one must stop startup before this).</param>
    /// <param name="createStore">Creates the counter store; the server owns and disposes it.</param>
    /// <param name="configureLogging">Optional logging setup (tests capture logs here).</param>
    /// <param name="configureServices">Optional service overrides, applied before the defaults (registered with TryAdd).</param>
    public static WebApplication Build(
        RateLimitServerOptions options,
        RateLimitConfig initial,
        Func<IServiceProvider, IRateLimitStore> createStore,
        Action<ILoggingBuilder>? configureLogging = null,
        Action<IServiceCollection>? configureServices = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(createStore);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Any enabled level here makes ASP.NET Core start an Activity and a log scope for every request, which gRPC
        // then tags: measurable per-call work for no output (this category only logs request start/finish).
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        configureLogging?.Invoke(builder.Logging);
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.Http2.MaxStreamsPerConnection = 4096;
            kestrel.Limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(30);
            if (options.GrpcUnixSocket is { } socket)
            {
                if (File.Exists(socket))
                {
                    File.Delete(socket);
                }

                kestrel.ListenUnixSocket(socket, o => o.Protocols = HttpProtocols.Http2);
            }
            else
            {
                kestrel.Listen(options.GrpcEndpoint, o => o.Protocols = HttpProtocols.Http2);
            }

            if (options.AdminEndpoint is { } admin)
            {
                kestrel.Listen(admin, o => o.Protocols = HttpProtocols.Http1);
            }
        });

        configureServices?.Invoke(builder.Services);
        var configStore = new RateLimitConfigStore(initial);
        builder.Services.AddRateLimitService(configStore, options, createStore);
        builder.Services.TryAddSingleton(options);
        builder.Services.AddSingleton<RateLimitWarmup>();
        builder.Services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<RateLimitWarmup>());
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(options.MeterName).AddPrometheusExporter());
        builder.Services.AddSingleton<IHostedService>(sp => new RateLimitConfigReloadService(
            options.ConfigPath,
            new RateLimitConfigLoader(options.MergeDomainConfigs),
            configStore,
            sp.GetRequiredService<RateLimitMetrics>(),
            sp.GetRequiredService<TimeProvider>(),
            options.ReloadInterval,
            sp.GetRequiredService<ILogger<RateLimitConfigReloadService>>()));

        var app = builder.Build();
        WatchRedis(app.Services);
        app.MapGrpcService<RateLimitGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapHealthChecks("/healthz");
        app.MapHealthChecks("/healthcheck");
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    /// <summary>Registers the limiter, its store and the gRPC services. Every piece is registered with TryAdd.</summary>
    public static IServiceCollection AddRateLimitService(this IServiceCollection services, RateLimitConfigStore configStore, RateLimitServerOptions options, Func<IServiceProvider, IRateLimitStore> createStore)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(configStore);
        services.TryAddSingleton(options.Service);
        services.TryAddSingleton(sp => new RateLimitMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), options.MeterName));
        services.TryAddSingleton(createStore);
        services.TryAddSingleton<RateLimitReadiness>();
        services.TryAddSingleton(sp => new FixedWindowLimiter(
            configStore,
            sp.GetRequiredService<IRateLimitStore>(),
            sp.GetRequiredService<TimeProvider>(),
            options.Limiter,
            sp.GetRequiredService<RateLimitMetrics>()));
        services.AddGrpc(grpc => grpc.EnableDetailedErrors = false);
        services.AddGrpcHealthChecks(o => o.UseHealthChecksCache = false)
            .AddCheck<ReadinessHealthCheck>("ready")
            .AddCheck("config", () => configStore.Current is null ? HealthCheckResult.Unhealthy("no configuration loaded") : HealthCheckResult.Healthy())
            .AddCheck<RedisHealthCheck>("redis");
        return services;
    }

    private static void WatchRedis(IServiceProvider services)
    {
        if (services.GetRequiredService<IRateLimitStore>() is not RedisRateLimitStore store)
        {
            return;
        }

        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("AiGateway.RateLimit.Redis");
        store.ConnectionFailed += (endpoint, failure) => Log.RedisConnectionFailed(logger, endpoint, failure);
        store.ConnectionRestored += endpoint => Log.RedisConnectionRestored(logger, endpoint);
    }

    /// <summary>Unhealthy (gRPC NOT_SERVING) until the warm-up has succeeded once.</summary>
    private sealed class ReadinessHealthCheck(RateLimitReadiness readiness) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(readiness.NotReadyReason is { } reason
                ? HealthCheckResult.Unhealthy("not ready: " + reason)
                : HealthCheckResult.Healthy());
    }

    /// <summary>Degraded (still serving: calls fail fast) while Redis is unreachable.</summary>
    private sealed class RedisHealthCheck(IRateLimitStore store) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(store is RedisRateLimitStore { IsConnected: false }
                ? HealthCheckResult.Degraded("Redis is unreachable; calls answer UNAVAILABLE")
                : HealthCheckResult.Healthy());
    }
}
