using AiGateway.Core.Configuration;
using AiGateway.Core.Translation;
using AiGateway.ExtProc.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace AiGateway.ExtProc.Hosting;

/// <summary>Builds the <c>aigw serve extproc</c> process: gRPC on one address, /healthz and /metrics on another.</summary>
public static class ExtProcServer
{
    /// <summary>A loader that accepts the provider types this build can translate to.</summary>
    public static GatewayConfigLoader CreateLoader(TimeProvider timeProvider)
    {
        var translators = new TranslatorRegistry();
        return new GatewayConfigLoader(translators.Supports, Environment.GetEnvironmentVariable, timeProvider);
    }

    /// <summary>Builds the server for a configuration that already loaded.</summary>
    /// <param name="options">Addresses and settings.</param>
    /// <param name="initial">The first snapshot (a bad file must stop startup before this).</param>
    /// <param name="configureLogging">Optional logging setup (tests capture logs here).</param>
    /// <param name="configureServices">Optional service overrides, applied before the defaults (registered with TryAdd).</param>
    public static WebApplication Build(ExtProcServerOptions options, GatewaySnapshot initial, Action<ILoggingBuilder>? configureLogging = null, Action<IServiceCollection>? configureServices = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);

        // Per-call framework logs (hosting, routing, gRPC's own "client reset the stream" on every
        // request Envoy ends) would cost more than the request itself: only warnings from them.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        configureLogging?.Invoke(builder.Logging);
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.Http2.MaxStreamsPerConnection = 4096;
            kestrel.Limits.Http2.InitialConnectionWindowSize = 8 * 1024 * 1024;
            kestrel.Limits.Http2.InitialStreamWindowSize = 2 * 1024 * 1024;
            kestrel.Limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(30);
            Listen(kestrel, options.Listen, HttpProtocols.Http2);
            if (options.AdminListen is { } admin)
            {
                Listen(kestrel, admin, HttpProtocols.Http1);
            }
        });

        configureServices?.Invoke(builder.Services);
        var store = new GatewayConfigStore(initial);
        builder.Services.AddExtProc(store, options.Service);
        builder.Services.AddHealthChecks();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(GatewayMetrics.MeterName).AddPrometheusExporter());
        builder.Services.AddSingleton<IHostedService>(sp => new ConfigReloadService(
            options.ConfigPath,
            CreateLoader(sp.GetRequiredService<TimeProvider>()),
            store,
            sp.GetRequiredService<TimeProvider>(),
            options.ReloadInterval,
            sp.GetRequiredService<ILogger<ConfigReloadService>>()));

        var app = builder.Build();
        app.MapExtProc();
        app.MapHealthChecks("/healthz");
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    private static void Listen(KestrelServerOptions kestrel, ListenAddress address, HttpProtocols protocols)
    {
        if (address.UnixSocketPath is { } path)
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }

            kestrel.ListenUnixSocket(path, o => o.Protocols = protocols);
        }
        else
        {
            kestrel.Listen(address.Address!, address.Port, o => o.Protocols = protocols);
        }
    }
}
