using System.Net;
using System.Net.Sockets;
using AiGateway.RateLimit.Configuration;
using AiGateway.RateLimit.Service.Hosting;
using AiGateway.RateLimit.Storage;
using AiGateway.TestKit;
using Envoy.Extensions.Common.Ratelimit.V3;
using Envoy.Service.Ratelimit.V3;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace AiGateway.RateLimit.Tests.Hosting;

/// <summary>Startup order: no listener and no SERVING before the store is prepared and the hot path has run.</summary>
public sealed class RateLimitWarmupTests
{
    private static readonly string Config = FixtureFiles.Path("Config", "Valid", "service");
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    private static (WebApplication App, int GrpcPort, int AdminPort) Build(IRateLimitStore store, TimeSpan? readinessWait = null)
    {
        var loaded = new RateLimitConfigLoader().LoadPath(Config);
        var grpcPort = FreePort.Next();
        var adminPort = FreePort.Next();
        var options = new RateLimitServerOptions
        {
            ConfigPath = Config,
            GrpcEndpoint = new IPEndPoint(IPAddress.Loopback, grpcPort),
            AdminEndpoint = new IPEndPoint(IPAddress.Loopback, adminPort),
            ReloadInterval = TimeSpan.FromHours(1),
            MeterName = "AiGateway.RateLimit.Test." + Guid.NewGuid().ToString("N"),
            ReadinessWait = readinessWait ?? TimeSpan.FromSeconds(10),
        };
        return (RateLimitServer.Build(options, loaded.Config!, _ => store), grpcPort, adminPort);
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static RateLimitRequest Request()
    {
        var descriptor = new RateLimitDescriptor();
        descriptor.Entries.Add(new RateLimitDescriptor.Types.Entry { Key = "user", Value = "alice" });
        var request = new RateLimitRequest { Domain = "gateway" };
        request.Descriptors.Add(descriptor);
        return request;
    }

    [Fact]
    public async Task Opens_no_listener_before_the_store_is_prepared_and_the_warmup_calls_have_run()
    {
        var store = new GatedStore(new InMemoryRateLimitStore(TimeProvider.System));
        var (app, grpcPort, adminPort) = Build(store);
        await using var _ = app;

        var starting = app.StartAsync();
        await store.PrepareEntered.Task.WaitAsync(Safety);
        var grpcOpenWhilePreparing = await AcceptsAsync(grpcPort);
        var adminOpenWhilePreparing = await AcceptsAsync(adminPort);
        var callsWhilePreparing = store.ApplyCalls;
        store.ReleasePrepare.SetResult();
        await starting.WaitAsync(Safety);
        var callsWhenStarted = store.ApplyCalls;
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        var response = await new RateLimitService.RateLimitServiceClient(channel).ShouldRateLimitAsync(Request());

        Assert.False(grpcOpenWhilePreparing);
        Assert.False(adminOpenWhilePreparing);
        Assert.Equal(0, callsWhilePreparing);
        Assert.Equal(new RateLimitServerOptions { ConfigPath = "x" }.WarmupCalls, callsWhenStarted);
        Assert.True(app.Services.GetRequiredService<RateLimitReadiness>().IsReady);
        Assert.Equal(ServingStatus.Serving, health.Status);
        Assert.Equal(RateLimitResponse.Types.Code.Ok, response.OverallCode);
        await app.StopAsync();
    }

    [Fact]
    public async Task Serves_with_health_not_serving_when_the_store_is_not_ready_in_time_then_turns_serving_once_it_is()
    {
        var store = new GatedStore(new InMemoryRateLimitStore(TimeProvider.System)) { PrepareFailure = "Redis is not connected" };
        store.ReleasePrepare.SetResult();
        var (app, grpcPort, adminPort) = Build(store, readinessWait: TimeSpan.Zero);
        await using var _ = app;

        await app.StartAsync().WaitAsync(Safety);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        var health = new Health.HealthClient(channel);
        var before = await health.CheckAsync(new HealthCheckRequest());
        using var admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}") };
        var adminBefore = await admin.GetAsync(new Uri("/healthz", UriKind.Relative));
        store.PrepareFailure = null;
        var after = await EventuallyAsync(async () => (await health.CheckAsync(new HealthCheckRequest())).Status, ServingStatus.Serving);

        Assert.Equal(ServingStatus.NotServing, before.Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, adminBefore.StatusCode);
        Assert.Equal(ServingStatus.Serving, after);
        await app.StopAsync();
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, T expected)
    {
        var deadline = DateTime.UtcNow + Safety;
        while (true)
        {
            var value = await read();
            if (Equals(value, expected) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>An in-memory store whose preparation waits for the test, and counts the calls it applies.</summary>
    private sealed class GatedStore(IRateLimitStore inner) : IRateLimitStore
    {
        private int _applyCalls;

        public TaskCompletionSource PrepareEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource ReleasePrepare { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public volatile string? PrepareFailure;

        public int ApplyCalls => Volatile.Read(ref _applyCalls);

        public ValueTask ApplyAsync(ReadOnlyMemory<CounterOperation> operations, Memory<long> results, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _applyCalls);
            return inner.ApplyAsync(operations, results, cancellationToken);
        }

        public async ValueTask PrepareAsync(CancellationToken cancellationToken)
        {
            PrepareEntered.TrySetResult();
            await ReleasePrepare.Task.WaitAsync(cancellationToken);
            if (PrepareFailure is { } failure)
            {
                throw new RateLimitStoreException(failure);
            }
        }
    }
}
