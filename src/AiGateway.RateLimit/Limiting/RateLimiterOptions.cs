namespace AiGateway.RateLimit.Limiting;

/// <summary>Settings of the limiter (the reference service's environment settings of the same names).</summary>
public sealed class RateLimiterOptions
{
    /// <summary><c>NEAR_LIMIT_RATIO</c>: share of the limit above which hits count as near the limit (stats only).</summary>
    public double NearLimitRatio { get; init; } = 0.8;

    /// <summary><c>SHADOW_MODE</c>: decide and count as usual, but always answer OK.</summary>
    public bool GlobalShadowMode { get; init; }

    /// <summary><c>CACHE_KEY_PREFIX</c>: prepended to every counter key.</summary>
    public string CacheKeyPrefix { get; init; } = string.Empty;

    /// <summary><c>EXPIRATION_JITTER_MAX_SECONDS</c>: counters live their window plus a random 0…this−1 seconds.</summary>
    public int ExpirationJitterMaxSeconds { get; init; } = 300;

    /// <summary><c>LOCAL_CACHE_SIZE_IN_BYTES</c>: above 0, keys seen over their limit are answered locally until their window ends.</summary>
    public long LocalCacheSizeInBytes { get; init; }

    /// <summary>
    /// <c>STOP_CACHE_KEY_INCREMENT_WHEN_OVERLIMIT</c>: read the call's counters first; when any would go over its limit
    /// (or is over in the local cache), increment only those, so a rejected call does not use up its other limits.
    /// Costs a second Redis round trip per call.
    /// </summary>
    public bool StopCacheKeyIncrementWhenOverLimit { get; init; }

    /// <summary>Checks the values; throws on the first bad one.</summary>
    public void Validate()
    {
        if (NearLimitRatio is < 0 or > 1 || double.IsNaN(NearLimitRatio))
        {
            throw new ArgumentOutOfRangeException(nameof(NearLimitRatio), NearLimitRatio, "must be between 0 and 1");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(ExpirationJitterMaxSeconds);
        ArgumentOutOfRangeException.ThrowIfNegative(LocalCacheSizeInBytes);
        ArgumentNullException.ThrowIfNull(CacheKeyPrefix);
    }
}
