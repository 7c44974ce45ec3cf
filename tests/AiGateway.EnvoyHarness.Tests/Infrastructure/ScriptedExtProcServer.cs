using System.Net;
using Envoy.Service.ExtProc.V3;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiGateway.EnvoyHarness.Tests.Infrastructure;

/// <summary>A fake ext_proc server on a loopback h2c port; each <c>Process</c> stream runs the test's script.</summary>
public sealed class ScriptedExtProcServer : IAsyncDisposable
{
    private readonly List<ExtProcCall> _calls = [];
    private WebApplication? _app;

    private ScriptedExtProcServer(Func<ExtProcCall, Task> script) => Script = script;

    public Func<ExtProcCall, Task> Script { get; }

    public string Address { get; private set; } = string.Empty;

    public IReadOnlyList<ExtProcCall> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    public static async Task<ScriptedExtProcServer> StartAsync(Func<ExtProcCall, Task> script)
    {
        var server = new ScriptedExtProcServer(script);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc(options =>
        {
            options.MaxReceiveMessageSize = null;
            options.MaxSendMessageSize = null;
        });
        builder.Services.AddSingleton(server);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        app.MapGrpcService<ScriptedExternalProcessor>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server._app = app;
        server.Address = $"127.0.0.1:{new Uri(address).Port}";
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    internal void Add(ExtProcCall call)
    {
        lock (_calls)
        {
            _calls.Add(call);
        }
    }

    private sealed class ScriptedExternalProcessor(ScriptedExtProcServer server) : ExternalProcessor.ExternalProcessorBase
    {
        public override Task Process(IAsyncStreamReader<ProcessingRequest> requestStream, IServerStreamWriter<ProcessingResponse> responseStream, ServerCallContext context)
        {
            var call = new ExtProcCall(requestStream, responseStream, context);
            server.Add(call);
            return server.Script(call);
        }
    }
}
