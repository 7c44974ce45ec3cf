using AiGateway.Core.Configuration;
using AiGateway.Core.Translation;
using AiGateway.Core.Upstreams.Credentials;
using AiGateway.ExtProc.Processing;
using AiGateway.ExtProc.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace AiGateway.ExtProc.Hosting;

/// <summary>Registers and maps the ext_proc service.</summary>
public static class ExtProcServiceCollectionExtensions
{
    /// <summary>Adds the ext_proc gRPC service and what it needs. Every piece is registered with TryAdd.</summary>
    public static IServiceCollection AddExtProc(this IServiceCollection services, GatewayConfigStore configStore, ExtProcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(configStore);
        services.TryAddSingleton(options);
        services.TryAddSingleton(sp => new TranslatorRegistry(TranslatorRegistry.BuiltIn(sp.GetRequiredService<TimeProvider>())));
        services.TryAddSingleton<GatewayMetrics>();
        services.TryAddSingleton<AiGateway.Core.Upstreams.ProviderRateLimitBoard>();
        services.TryAddSingleton(sp =>
        {
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("AiGateway.ExtProc.Credentials");
            var http = sp.GetKeyedService<HttpClient>(UpstreamCredentialsFactory.HttpClientKey)
                ?? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(15) };
            return new UpstreamCredentialsFactory(http, sp.GetRequiredService<TimeProvider>(), (provider, reason) => Log.CredentialFetchFailed(logger, provider, reason));
        });
        services.TryAddSingleton(sp =>
        {
            var factory = sp.GetRequiredService<UpstreamCredentialsFactory>();
            var store = new UpstreamCredentialStore(factory.Create);
            store.Apply(configStore.Current);
            configStore.Reloaded += store.Apply;
            return store;
        });
        services.AddHostedService<CredentialStoreStarter>();
        services.TryAddSingleton(sp => new ExchangeStore(sp.GetRequiredService<TimeProvider>(), options.ExchangeMaxAge));
        services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = options.MaxGrpcMessageBytes;
            grpc.MaxSendMessageSize = options.MaxGrpcMessageBytes;
            grpc.EnableDetailedErrors = false;
        });
        services.AddGrpcHealthChecks(o => o.UseHealthChecksCache = false)
            .AddCheck("config", () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy(), tags: ["ready"]);
        return services;
    }

    /// <summary>Maps the ext_proc gRPC service and the gRPC health service.</summary>
    public static IEndpointRouteBuilder MapExtProc(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<ExternalProcessorService>();
        endpoints.MapGrpcHealthChecksService();
        return endpoints;
    }
}
