using AiGateway.RateLimit.Service.Hosting;

namespace AiGateway.RateLimit.Tests.Hosting;

public sealed class RateLimitEnvironmentTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] values)
    {
        var map = values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return name => map.GetValueOrDefault(name);
    }

    [Fact]
    public void Reads_every_reference_setting_it_supports()
    {
        var settings = RateLimitEnvironment.Read(Environment(
            ("SHADOW_MODE", "true"),
            ("NEAR_LIMIT_RATIO", "0.5"),
            ("CACHE_KEY_PREFIX", "rl_"),
            ("EXPIRATION_JITTER_MAX_SECONDS", "7"),
            ("LOCAL_CACHE_SIZE_IN_BYTES", "1048576"),
            ("STOP_CACHE_KEY_INCREMENT_WHEN_OVERLIMIT", "true"),
            ("MERGE_DOMAIN_CONFIG", "true"),
            ("LIMIT_RESPONSE_HEADERS_ENABLED", "true"),
            ("LIMIT_LIMIT_HEADER", "X-Limit"),
            ("LIMIT_REMAINING_HEADER", "X-Remaining"),
            ("LIMIT_RESET_HEADER", "X-Reset"),
            ("RESPONSE_DYNAMIC_METADATA", "true"),
            ("REDIS_PERSECOND", "true"),
            ("REDIS_PERSECOND_URL", "127.0.0.1:6380")));

        var limiter = settings.Limiter;
        Assert.Empty(settings.Problems);
        Assert.Equal((true, 0.5, "rl_", 7, 1048576L, true), (limiter.GlobalShadowMode, limiter.NearLimitRatio, limiter.CacheKeyPrefix, limiter.ExpirationJitterMaxSeconds, limiter.LocalCacheSizeInBytes, limiter.StopCacheKeyIncrementWhenOverLimit));
        Assert.True(settings.MergeDomainConfigs);
        Assert.Equal((true, "X-Limit", "X-Remaining", "X-Reset", true), (settings.Service.ResponseHeadersEnabled, settings.Service.LimitHeader, settings.Service.RemainingHeader, settings.Service.ResetHeader, settings.Service.DynamicMetadataEnabled));
        Assert.Equal("127.0.0.1:6380", RateLimitEnvironment.PerSecondRedis(Environment(("REDIS_PERSECOND", "true"), ("REDIS_PERSECOND_URL", "127.0.0.1:6380"))));
    }

    [Fact]
    public void Uses_the_reference_defaults_when_nothing_is_set()
    {
        var settings = RateLimitEnvironment.Read(Environment());

        var limiter = settings.Limiter;
        Assert.Empty(settings.Problems);
        Assert.Equal((false, 0.8, "", 300, 0L, false), (limiter.GlobalShadowMode, limiter.NearLimitRatio, limiter.CacheKeyPrefix, limiter.ExpirationJitterMaxSeconds, limiter.LocalCacheSizeInBytes, limiter.StopCacheKeyIncrementWhenOverLimit));
        Assert.False(settings.MergeDomainConfigs);
        Assert.Null(RateLimitEnvironment.PerSecondRedis(Environment(("REDIS_PERSECOND_URL", "127.0.0.1:6380"))));
    }

    [Fact]
    public void Lists_unusable_values_and_keeps_the_defaults_for_them()
    {
        var settings = RateLimitEnvironment.Read(Environment(("NEAR_LIMIT_RATIO", "lots"), ("STOP_CACHE_KEY_INCREMENT_WHEN_OVERLIMIT", "maybe"), ("REDIS_PIPELINE_WINDOW", "soon")));

        Assert.Equal(0.8, settings.Limiter.NearLimitRatio);
        Assert.False(settings.Limiter.StopCacheKeyIncrementWhenOverLimit);
        Assert.Equal(
            ["NEAR_LIMIT_RATIO: expected a non-negative number, got 'lots'", "STOP_CACHE_KEY_INCREMENT_WHEN_OVERLIMIT: expected true or false, got 'maybe'", "REDIS_PIPELINE_WINDOW: expected a duration such as 150us or 1ms, got 'soon'"],
            settings.Problems);
    }
}
