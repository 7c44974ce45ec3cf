using AiGateway.RateLimit.Configuration;
using AiGateway.RateLimit.Limiting;
using AiGateway.RateLimit.Storage;
using AiGateway.RateLimit.Tests.Support;
using StackExchange.Redis;
using static AiGateway.RateLimit.Tests.Support.Limits;

namespace AiGateway.RateLimit.Tests.Storage;

public sealed class RedisRateLimitStoreTests : IAsyncLifetime
{
    private static readonly RedisStoreOptions Generous = new() { Deadline = TimeSpan.FromSeconds(5) };
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    private async Task<RedisRateLimitStore> StoreAsync(RedisStoreOptions? options = null, string? perSecond = null) =>
        await RedisRateLimitStore.ConnectAsync(_redis.Address, perSecond, options ?? Generous, TimeProvider.System);

    private async Task<IConnectionMultiplexer> ClientAsync(int? port = null) =>
        await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port ?? _redis.Port}");

    private static CounterOperation Op(string key, long hits, long ttl, bool perSecond) => new(key, hits, ttl, perSecond);

    private static async Task<long[]> ApplyAsync(IRateLimitStore store, params CounterOperation[] operations)
    {
        var results = new long[operations.Length];
        await store.ApplyAsync(operations, results, default);
        return results;
    }

    [Fact]
    public async Task Increments_every_counter_of_a_call_and_sets_its_time_to_live()
    {
        await using var store = await StoreAsync();
        await using var client = await ClientAsync();

        var first = await ApplyAsync(store, Op("a_1", 1, 60, false), Op("b_1", 5, 3600, false));
        var second = await ApplyAsync(store, Op("a_1", 2, 60, false), Op("b_1", 0, 3600, false));

        Assert.Equal([1L, 5L], first);
        Assert.Equal([3L, 5L], second);
        Assert.Equal("3", (string?)await client.GetDatabase().StringGetAsync("a_1"));
        Assert.InRange((await client.GetDatabase().KeyTimeToLiveAsync("b_1"))!.Value.TotalSeconds, 3500, 3600);
    }

    [Fact]
    public async Task Sets_a_counters_time_to_live_when_it_is_created_and_leaves_it_while_the_count_grows()
    {
        await using var store = await StoreAsync();
        await using var client = await ClientAsync();

        await ApplyAsync(store, Op("created_1", 1, 60, false));
        await ApplyAsync(store, Op("created_1", 1, 3600, false));
        await ApplyAsync(store, Op("created_1", 0, 3600, false));

        Assert.InRange((await client.GetDatabase().KeyTimeToLiveAsync("created_1"))!.Value.TotalSeconds, 1, 60);
    }

    [Fact]
    public async Task Sends_the_prepared_script_by_hash_after_the_first_call()
    {
        await using var store = await StoreAsync();
        await using var client = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{_redis.Port},allowAdmin=true");

        for (var i = 0; i < 5; i++)
        {
            await ApplyAsync(store, Op("k" + i, 1, 60, false), Op("j" + i, 1, 60, false));
        }

        var stats = (await client.GetServer(client.GetEndPoints()[0]).InfoAsync("commandstats")).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
        Assert.StartsWith("calls=4,", stats["cmdstat_evalsha"], StringComparison.Ordinal);
        Assert.StartsWith("calls=1,", stats["cmdstat_eval"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refunds_without_going_below_zero_or_creating_counters()
    {
        await using var store = await StoreAsync();
        await using var client = await ClientAsync();
        await ApplyAsync(store, Op("k", 10, 60, false));

        var refunded = await ApplyAsync(store, Op("k", -4, 60, false), Op("missing", -4, 60, false));
        var floored = await ApplyAsync(store, Op("k", -100, 60, false));

        Assert.Equal([6L, 0L], refunded);
        Assert.Equal([0L], floored);
        Assert.False(await client.GetDatabase().KeyExistsAsync("missing"));
    }

    [Fact]
    public async Task Counts_on_counters_the_reference_service_wrote()
    {
        await using var client = await ClientAsync();
        await client.GetDatabase().StringIncrementAsync("gateway_user_alice_1699999980", 41);
        await using var store = await StoreAsync();

        var results = await ApplyAsync(store, Op("gateway_user_alice_1699999980", 1, 60, false));

        Assert.Equal([42L], results);
    }

    [Fact]
    public async Task Sends_per_second_counters_to_the_separate_redis()
    {
        await using var perSecondRedis = await RedisServer.StartAsync();
        await using var store = await StoreAsync(perSecond: perSecondRedis.Address);
        await using var main = await ClientAsync();
        await using var perSecond = await ClientAsync(perSecondRedis.Port);

        var results = await ApplyAsync(store, Op("minute_key", 2, 60, false), Op("second_key", 3, 1, true));

        Assert.Equal([2L, 3L], results);
        Assert.True(await main.GetDatabase().KeyExistsAsync("minute_key"));
        Assert.False(await main.GetDatabase().KeyExistsAsync("second_key"));
        Assert.True(await perSecond.GetDatabase().KeyExistsAsync("second_key"));
    }

    [Fact]
    public async Task Fails_while_redis_is_down_and_recovers_on_its_own()
    {
        await using var store = await StoreAsync(new RedisStoreOptions { Deadline = TimeSpan.FromMilliseconds(10), ReconnectInterval = TimeSpan.FromMilliseconds(50) });
        await EventuallyAsync(async () => await ApplyAsync(store, Op("warm", 1, 60, false)));

        await _redis.StopAsync();
        await Assert.ThrowsAsync<RateLimitStoreException>(async () => await ApplyAsync(store, Op("k", 1, 60, false)));
        await _redis.StartAgainAsync();

        // A call that missed its deadline may still have reached Redis: each retry counts on its own key.
        var attempt = 0;
        var recovered = await EventuallyAsync(async () => await ApplyAsync(store, Op("k" + Interlocked.Increment(ref attempt), 1, 60, false)));

        Assert.Equal([1L], recovered);
    }

    [Fact]
    public async Task Admits_exactly_the_limit_from_two_limiters_sharing_redis()
    {
        var config = new RateLimitConfigStore(Config("domain: gateway\ndescriptors:\n  - key: user\n    rate_limit: { unit: hour, requests_per_unit: 100 }\n"));
        await using var storeA = await StoreAsync();
        await using var storeB = await StoreAsync();
        using var metrics = new MetricRecorder();
        var limiters = new[] { storeA, storeB }.Select(s => new FixedWindowLimiter(config, s, TimeProvider.System, new RateLimiterOptions(), metrics.Metrics)).ToArray();

        var decisions = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
            await limiters[i % 2].ShouldRateLimitAsync(Request("gateway", Descriptor(("user", "alice"))), default))));

        Assert.Equal(100, decisions.Count(d => d.Code == LimitCode.Ok));
        Assert.Equal(100, decisions.Count(d => d.Code == LimitCode.OverLimit));
    }

    [Fact]
    public async Task Loads_the_script_when_prepared_so_even_the_first_calls_go_by_hash()
    {
        await using var store = await StoreAsync();
        await using var client = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{_redis.Port},allowAdmin=true");

        await store.PrepareAsync(default);
        await Task.WhenAll(Enumerable.Range(0, 5).Select(async i => await ApplyAsync(store, Op("p" + i, 1, 60, false))));

        var stats = (await client.GetServer(client.GetEndPoints()[0]).InfoAsync("commandstats")).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
        Assert.StartsWith("calls=5,", stats["cmdstat_evalsha"], StringComparison.Ordinal);
        Assert.False(stats.ContainsKey("cmdstat_eval"));
    }

    [Fact]
    public async Task Fails_to_prepare_while_redis_is_down()
    {
        await using var store = await StoreAsync(new RedisStoreOptions { Deadline = TimeSpan.FromMilliseconds(10), ReconnectInterval = TimeSpan.FromMilliseconds(50) });
        await _redis.StopAsync();

        await Assert.ThrowsAsync<RateLimitStoreException>(async () => await store.PrepareAsync(default));
    }

    [Fact]
    public async Task Reads_counters_without_creating_or_changing_them()
    {
        await using var store = await StoreAsync();
        await using var client = await ClientAsync();
        await ApplyAsync(store, Op("seen", 4, 60, false));

        var read = await ApplyAsync(store, Op("seen", 100, 3600, false) with { ReadOnly = true }, Op("unseen", 1, 60, false) with { ReadOnly = true });

        Assert.Equal([4L, 0L], read);
        Assert.Equal("4", (string?)await client.GetDatabase().StringGetAsync("seen"));
        Assert.InRange((await client.GetDatabase().KeyTimeToLiveAsync("seen"))!.Value.TotalSeconds, 1, 60);
        Assert.False(await client.GetDatabase().KeyExistsAsync("unseen"));
    }

    [Theory]
    [InlineData(false, 4)]
    [InlineData(true, 2)]
    public async Task Counts_the_other_descriptors_of_an_over_limit_call_unless_stop_cache_key_increment_is_set(bool stop, long teamCount)
    {
        var config = new RateLimitConfigStore(Config("domain: gateway\ndescriptors:\n  - key: user\n    rate_limit: { unit: hour, requests_per_unit: 2 }\n  - key: team\n    rate_limit: { unit: hour, requests_per_unit: 100 }\n"));
        await using var store = await StoreAsync();
        await using var client = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{_redis.Port},allowAdmin=true");
        using var metrics = new MetricRecorder();
        var limiter = new FixedWindowLimiter(config, store, TimeProvider.System, new RateLimiterOptions { StopCacheKeyIncrementWhenOverLimit = stop }, metrics.Metrics);
        var request = Request("gateway", Descriptor(("user", "alice")), Descriptor(("team", "research")));

        var codes = new List<LimitCode>();
        for (var i = 0; i < 4; i++)
        {
            codes.Add((await limiter.ShouldRateLimitAsync(request, default)).Code);
        }

        var teamKey = client.GetServer(client.GetEndPoints()[0]).Keys(pattern: "gateway_team_research_*").Single();
        Assert.Equal([LimitCode.Ok, LimitCode.Ok, LimitCode.OverLimit, LimitCode.OverLimit], codes);
        Assert.Equal(teamCount, (long)await client.GetDatabase().StringGetAsync(teamKey));
    }

    [Theory]
    [InlineData("127.0.0.1:6390", "127.0.0.1:6390", false, null)]
    [InlineData("redis://:s3cret@cache:6390/2", "cache:6390", false, "s3cret")]
    [InlineData("rediss://user:pw@cache", "cache:6379", true, "pw")]
    [InlineData("cache:6390,password=pw,ssl=true", "cache:6390", true, "pw")]
    public void Parses_reference_addresses_urls_and_configuration_strings(string text, string endpoint, bool tls, string? password)
    {
        var options = RedisConnectionString.Parse(text, new RedisStoreOptions());

        Assert.Equal(endpoint, Assert.Single(options.EndPoints).ToString()!.Replace("Unspecified/", string.Empty, StringComparison.Ordinal));
        Assert.Equal(tls, options.Ssl);
        Assert.Equal(password, options.Password);
        Assert.False(options.AbortOnConnectFail);
    }

    [Fact]
    public void Redacts_passwords_for_logs()
    {
        Assert.Equal("redis://***@cache:6390", RedisConnectionString.Redact("redis://:s3cret@cache:6390"));
        Assert.Equal("cache:6390,password=***,ssl=true", RedisConnectionString.Redact("cache:6390,password=pw,ssl=true"));
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> action)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                return await action();
            }
            catch (RateLimitStoreException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
