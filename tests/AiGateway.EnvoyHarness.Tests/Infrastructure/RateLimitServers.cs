using System.Net;
using AiGateway.RateLimit.Configuration;
using AiGateway.RateLimit.Service.Hosting;
using AiGateway.RateLimit.Storage;
using Envoy.Service.Ratelimit.V3;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace AiGateway.EnvoyHarness.Tests.Infrastructure;

/// <summary>Rate-limit services for harness tests: our real one (in-memory counters, fake clock) or a recording fake.</summary>
public static class RateLimitServers
{
    /// <summary>Our <c>aigw serve ratelimit</c> on a loopback port with the config in <c>Fixtures/ratelimit</c>.</summary>
    public static async Task<(WebApplication App, string Address)> StartRealAsync(FakeTimeProvider time)
    {
        var path = HarnessTestEnvironment.FixturePath("ratelimit");
        var loaded = new RateLimitConfigLoader().LoadPath(path);
        Assert.True(loaded.Succeeded, string.Join('\n', loaded.Errors));
        var port = FreeLoopbackPort();
        var app = RateLimitServer.Build(
            new RateLimitServerOptions { ConfigPath = path, GrpcEndpoint = new IPEndPoint(IPAddress.Loopback, port), AdminEndpoint = null, MeterName = "harness-test-" + Guid.NewGuid().ToString("N") },
            loaded.Config,
            _ => new InMemoryRateLimitStore(time),
            logging => logging.SetMinimumLevel(LogLevel.Warning),
            services => services.AddSingleton<TimeProvider>(time));
        await app.StartAsync();
        return (app, $"127.0.0.1:{port}");
    }

    /// <summary>A fake that records every call and answers with <paramref name="answer"/> (OK for every descriptor by default).</summary>
    public static Task<(WebApplication App, string Address, List<RateLimitRequest> Calls)> StartRecordingAsync(Func<RateLimitRequest, RateLimitResponse>? answer = null)
    {
        var respond = answer ?? Ok;
        return StartRecordingAsync((request, _) => Task.FromResult(respond(request)));
    }

    /// <summary>A fake that records every call (before answering) and answers asynchronously: it may wait, or throw an RpcException.</summary>
    public static async Task<(WebApplication App, string Address, List<RateLimitRequest> Calls)> StartRecordingAsync(Func<RateLimitRequest, ServerCallContext, Task<RateLimitResponse>> answer)
    {
        var calls = new List<RateLimitRequest>();
        var port = FreeLoopbackPort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(new RecordingService(calls, answer));
        var app = builder.Build();
        app.MapGrpcService<RecordingService>();
        await app.StartAsync();
        return (app, $"127.0.0.1:{port}", calls);
    }

    public static RateLimitResponse Ok(RateLimitRequest request)
    {
        var response = new RateLimitResponse { OverallCode = RateLimitResponse.Types.Code.Ok };
        response.Statuses.Add(request.Descriptors.Select(_ => new RateLimitResponse.Types.DescriptorStatus { Code = RateLimitResponse.Types.Code.Ok }));
        return response;
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>An answer with <paramref name="code"/> overall and for every descriptor, each with a limit and remaining count.</summary>
    public static RateLimitResponse Answer(RateLimitRequest request, RateLimitResponse.Types.Code code, params (uint Limit, uint Remaining, string Name)[] statuses)
    {
        var response = new RateLimitResponse { OverallCode = code };
        for (var i = 0; i < request.Descriptors.Count; i++)
        {
            var status = new RateLimitResponse.Types.DescriptorStatus { Code = code };
            if (i < statuses.Length)
            {
                status.CurrentLimit = new RateLimitResponse.Types.RateLimit { RequestsPerUnit = statuses[i].Limit, Unit = RateLimitResponse.Types.RateLimit.Types.Unit.Minute, Name = statuses[i].Name };
                status.LimitRemaining = statuses[i].Remaining;
                status.DurationUntilReset = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(30));
            }

            response.Statuses.Add(status);
        }

        return response;
    }

    private sealed class RecordingService(List<RateLimitRequest> calls, Func<RateLimitRequest, ServerCallContext, Task<RateLimitResponse>> answer) : RateLimitService.RateLimitServiceBase
    {
        public override Task<RateLimitResponse> ShouldRateLimit(RateLimitRequest request, ServerCallContext context)
        {
            lock (calls)
            {
                calls.Add(request);
            }

            return answer(request, context);
        }
    }
}
