using AiGateway.RateLimit.Storage;
using AiGateway.RateLimit.Tests.Support;
using AiGateway.TestKit;
using Envoy.Extensions.Common.Ratelimit.V3;
using Envoy.Service.Ratelimit.V3;
using Grpc.Core;
using Code = Envoy.Service.Ratelimit.V3.RateLimitResponse.Types.Code;

namespace AiGateway.RateLimit.Tests.Service;

/// <summary>The service over real gRPC on a real redis-server.</summary>
public sealed class RateLimitServiceRedisTests : IAsyncLifetime
{
    private static readonly string Config = FixtureFiles.Path("Config", "Valid", "service");
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    private static RateLimitRequest Request(string key, string value)
    {
        var descriptor = new RateLimitDescriptor();
        descriptor.Entries.Add(new RateLimitDescriptor.Types.Entry { Key = key, Value = value });
        var request = new RateLimitRequest { Domain = "gateway" };
        request.Descriptors.Add(descriptor);
        return request;
    }

    [Fact]
    public async Task Admits_exactly_100_of_200_parallel_calls_from_two_instances_sharing_redis()
    {
        await using var first = await RateLimitTestServer.StartAsync(Config, _redis.Address);
        await using var second = await RateLimitTestServer.StartAsync(Config, _redis.Address);
        var servers = new[] { first, second };

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
            await servers[i % 2].Client.ShouldRateLimitAsync(Request("user", "alice"))));

        Assert.Equal(100, responses.Count(r => r.OverallCode == Code.Ok));
        Assert.Equal(100, responses.Count(r => r.OverallCode == Code.OverLimit));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (uint)i).ToHashSet(), responses.Where(r => r.OverallCode == Code.Ok).Select(r => r.Statuses[0].LimitRemaining).ToHashSet());
    }

    [Fact]
    public async Task Answers_unavailable_while_redis_is_down_counts_it_and_recovers_on_its_own()
    {
        var redisOptions = new RedisStoreOptions { Deadline = TimeSpan.FromMilliseconds(10), ReconnectInterval = TimeSpan.FromMilliseconds(50) };
        await using var server = await RateLimitTestServer.StartAsync(Config, _redis.Address, redisOptions: redisOptions);
        await Eventually(async () => await server.Client.ShouldRateLimitAsync(Request("user", "bob")));

        await _redis.StopAsync();
        var down = await Assert.ThrowsAsync<RpcException>(async () => await server.Client.ShouldRateLimitAsync(Request("user", "bob")));
        await _redis.StartAgainAsync();
        var recovered = await Eventually(async () => await server.Client.ShouldRateLimitAsync(Request("user", "bob")));

        Assert.Equal(StatusCode.Unavailable, down.StatusCode);
        Assert.Equal(Code.Ok, recovered.OverallCode);
        Assert.True(PrometheusText.Value(await server.MetricsAsync(), "ratelimit_service_call_should_rate_limit_redis_error_total") >= 1);
        Assert.Empty(server.Logs.Errors);
    }

    private static async Task<RateLimitResponse> Eventually(Func<Task<RateLimitResponse>> call)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
