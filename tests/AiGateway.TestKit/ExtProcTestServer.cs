using AiGateway.Core.Configuration;
using AiGateway.ExtProc.Hosting;
using Envoy.Service.ExtProc.V3;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiGateway.TestKit;

/// <summary>Our real ext_proc server on a loopback port (real Kestrel, real HTTP/2), as Envoy would reach it.</summary>
public sealed class ExtProcTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;

    private ExtProcTestServer(WebApplication app, int port, LogCapture logs, string configPath)
    {
        _app = app;
        Port = port;
        Logs = logs;
        ConfigPath = configPath;
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}", new GrpcChannelOptions { MaxReceiveMessageSize = 32 * 1024 * 1024, MaxSendMessageSize = 32 * 1024 * 1024 });
        Client = new ExternalProcessor.ExternalProcessorClient(_channel);
    }

    /// <summary>The gRPC port.</summary>
    public int Port { get; }

    /// <summary>"127.0.0.1:port", for address overrides.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Everything the server logged.</summary>
    public LogCapture Logs { get; }

    /// <summary>The gateway.yaml the server watches.</summary>
    public string ConfigPath { get; }

    /// <summary>The server's services, for assertions on shared state.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>A client for direct protocol tests.</summary>
    public ExternalProcessor.ExternalProcessorClient Client { get; }

    /// <summary>Starts the server with a gateway.yaml; the file is copied so tests may rewrite it.</summary>
    public static async Task<ExtProcTestServer> StartAsync(string gatewayYamlPath, Action<IServiceCollection>? configureServices = null, Action<AiGateway.ExtProc.ExtProcOptions>? configure = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var directory = Directory.CreateTempSubdirectory("aigw-test-");
        var configPath = Path.Combine(directory.FullName, "gateway.yaml");
        File.Copy(gatewayYamlPath, configPath);
        var loader = new GatewayConfigLoader(
            new AiGateway.Core.Translation.TranslatorRegistry().Supports,
            name => environment is not null && environment.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name),
            TimeProvider.System);
        var result = await loader.LoadFileAsync(configPath, CancellationToken.None);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("test gateway.yaml is invalid:\n" + string.Join('\n', result.Findings));
        }

        var service = new AiGateway.ExtProc.ExtProcOptions();
        configure?.Invoke(service);
        var port = FreePort.Next();
        var logs = new LogCapture();
        var options = new ExtProcServerOptions
        {
            ConfigPath = configPath,
            Listen = new ListenAddress(System.Net.IPAddress.Loopback, port, null),
            AdminListen = null,
            ShutdownTimeout = TimeSpan.FromSeconds(2),
            ReloadInterval = TimeSpan.FromMilliseconds(200),
            Service = service,
        };
        var app = ExtProcServer.Build(options, result.Snapshot, logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug), configureServices);
        await app.StartAsync();
        return new ExtProcTestServer(app, port, logs, configPath);
    }

    /// <summary>Opens a Process stream as Envoy's router-level filter (or upstream-level with <paramref name="upstream"/>).</summary>
    public EnvoyStream Open(bool upstream = false)
    {
        var headers = upstream ? new Metadata { { "x-ai-gateway-filter", "upstream" } } : null;
        return new EnvoyStream(Client.Process(headers));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
