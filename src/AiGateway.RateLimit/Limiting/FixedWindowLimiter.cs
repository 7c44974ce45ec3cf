using AiGateway.RateLimit.Configuration;
using AiGateway.RateLimit.Storage;
using AiGateway.RateLimit.Telemetry;

namespace AiGateway.RateLimit.Limiting;

/// <summary>
/// The reference service's fixed-window algorithm, independent of the counter store: look up each descriptor's limit,
/// apply <c>replaces</c> and <c>unlimited</c>, add each descriptor's hits to its epoch-aligned window counter in one
/// store call, and answer with statuses index-aligned to the request. A counter is over its limit only when it is
/// strictly greater than the limit after the addition, so a check-only call (addend 0) on a counter sitting exactly at
/// the limit is still OK.
/// </summary>
public sealed class FixedWindowLimiter
{
    private readonly RateLimitConfigStore _config;
    private readonly IRateLimitStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly RateLimiterOptions _options;
    private readonly RateLimitMetrics _metrics;
    private readonly Random _jitter;
    private readonly LocalOverLimitCache? _localCache;

    /// <summary>Creates a limiter.</summary>
    /// <param name="config">The configuration in service.</param>
    /// <param name="store">Where counters live.</param>
    /// <param name="timeProvider">The clock (windows are aligned to Unix time).</param>
    /// <param name="options">Limiter settings.</param>
    /// <param name="metrics">Stats sink.</param>
    /// <param name="jitter">Randomness for TTL jitter; must be thread-safe (defaults to <see cref="Random.Shared"/>).</param>
    public FixedWindowLimiter(RateLimitConfigStore config, IRateLimitStore store, TimeProvider timeProvider, RateLimiterOptions options, RateLimitMetrics metrics, Random? jitter = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _config = config ?? throw new ArgumentNullException(nameof(config));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _options = options;
        _jitter = jitter ?? Random.Shared;
        _localCache = options.LocalCacheSizeInBytes > 0 ? new LocalOverLimitCache(options.LocalCacheSizeInBytes, timeProvider) : null;
    }

    /// <summary>Decides one call.</summary>
    /// <exception cref="RateLimitRequestException">Empty domain, no descriptors, or no configuration loaded.</exception>
    /// <exception cref="RateLimitStoreException">The counter store failed.</exception>
    public async ValueTask<LimitDecision> ShouldRateLimitAsync(LimitRequest request, CancellationToken cancellationToken)
    {
        var decision = await DecideAsync(request, cancellationToken).ConfigureAwait(false);
        return decision.StoreFailure is { } failure ? throw new RateLimitStoreException(failure) : decision;
    }

    /// <summary>
    /// Decides one call; a counter store that failed or missed its deadline comes back as
    /// <see cref="LimitDecision.StoreFailure"/> instead of an exception (the service's hot path).
    /// </summary>
    /// <exception cref="RateLimitRequestException">Empty domain, no descriptors, or no configuration loaded.</exception>
    public async ValueTask<LimitDecision> DecideAsync(LimitRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.Domain))
        {
            throw new RateLimitRequestException("rate limit domain must not be empty");
        }

        var descriptors = request.Descriptors;
        if (descriptors.Count == 0)
        {
            throw new RateLimitRequestException("rate limit descriptor list must not be empty");
        }

        var config = _config.Current ?? throw new RateLimitRequestException("no rate limit configuration loaded");
        var count = descriptors.Count;
        var matches = new MatchedLimit?[count];
        var statuses = new DescriptorDecision[count];
        if (!config.HasDomain(request.Domain))
        {
            _metrics.DomainNotFound(request.Domain);
            Array.Fill(statuses, DescriptorDecision.NoLimit);
            return new LimitDecision(LimitCode.Ok, statuses, matches);
        }

        var limits = Resolve(config, request.Domain, descriptors, matches);
        var now = _timeProvider.GetUtcNow().ToUnixTimeSeconds();
        var requestHits = Math.Max(1u, request.HitsAddend);
        var hits = new long[count];
        var keys = new string?[count];
        var fromLocalCache = new bool[count];
        var operations = new CounterOperation[count];
        var operationIndex = new int[count];
        var operationCount = 0;
        for (var i = 0; i < count; i++)
        {
            if (limits[i] is not { } match)
            {
                continue;
            }

            var descriptor = descriptors[i];
            var window = match.Rule.Unit.WindowSeconds();
            hits[i] = (long)Math.Min(descriptor.HitsAddend ?? requestHits, long.MaxValue);
            var key = CacheKeyBuilder.Build(_options.CacheKeyPrefix, request.Domain, descriptor.Entries, match.SharedValues, now / window * window);
            keys[i] = key;
            if (descriptor.IsNegativeHits)
            {
                operationIndex[i] = operationCount;
                operations[operationCount++] = new CounterOperation(key, -hits[i], window + Jitter(), match.Rule.Unit == RateLimitUnit.Second);
                continue;
            }

            _metrics.TotalHits(match.StatsKey, hits[i]);
            if (_localCache?.Contains(key) == true)
            {
                fromLocalCache[i] = true;
                continue;
            }

            operationIndex[i] = operationCount;
            operations[operationCount++] = new CounterOperation(key, hits[i], window + Jitter(), match.Rule.Unit == RateLimitUnit.Second);
        }

        var results = new long[operationCount];
        if (operationCount > 0)
        {
            if (_options.StopCacheKeyIncrementWhenOverLimit)
            {
                var lookFailure = await HoldBackIncrementsWhenOverAsync(limits, descriptors, operationIndex, fromLocalCache, operations, operationCount, cancellationToken).ConfigureAwait(false);
                if (lookFailure is not null)
                {
                    return LimitDecision.Failed(lookFailure);
                }
            }

            var failure = await _store.TryApplyAsync(operations.AsMemory(0, operationCount), results, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return LimitDecision.Failed(failure);
            }
        }

        var anyOver = false;
        var quotaCount = 0;
        var quotaOver = 0;
        for (var i = 0; i < count; i++)
        {
            if (limits[i] is not { } match)
            {
                statuses[i] = matches[i] is { Rule.Unlimited: true } ? DescriptorDecision.Unlimited : DescriptorDecision.NoLimit;
                continue;
            }

            var rule = match.Rule;
            var window = rule.Unit.WindowSeconds();
            var reset = window - (now % window);
            DescriptorDecision status;
            if (descriptors[i].IsNegativeHits)
            {
                var left = rule.RequestsPerUnit - results[operationIndex[i]];
                if (left >= 0)
                {
                    _localCache?.Remove(keys[i]!);
                }

                status = new DescriptorDecision(LimitCode.Ok, rule, (uint)Math.Clamp(left, 0, uint.MaxValue), reset);
            }
            else if (fromLocalCache[i])
            {
                _metrics.OverLimit(match.StatsKey, hits[i]);
                _metrics.OverLimitWithLocalCache(match.StatsKey, hits[i]);
                status = new DescriptorDecision(LimitCode.OverLimit, rule, 0, reset);
                if (rule.ShadowMode)
                {
                    _metrics.ShadowMode(match.StatsKey, hits[i]);
                    status = status with { Code = LimitCode.Ok };
                }
            }
            else
            {
                status = Decide(match, keys[i]!, hits[i], results[operationIndex[i]], window, reset);
            }

            statuses[i] = status;
            if (status.Code == LimitCode.OverLimit)
            {
                if (rule.QuotaMode)
                {
                    quotaOver++;
                }
                else
                {
                    anyOver = true;
                }
            }

            if (rule.QuotaMode)
            {
                quotaCount++;
            }
        }

        var code = anyOver || (quotaCount > 0 && quotaOver == quotaCount) ? LimitCode.OverLimit : LimitCode.Ok;
        if (code == LimitCode.OverLimit && _options.GlobalShadowMode)
        {
            _metrics.GlobalShadowMode();
            code = LimitCode.Ok;
        }

        return new LimitDecision(code, statuses, matches);
    }

    /// <summary>
    /// <c>STOP_CACHE_KEY_INCREMENT_WHEN_OVERLIMIT</c>, as the reference does it: when a counter is already over in the
    /// local cache, or (after reading every counter first) would go over with this call, only the counters that would go
    /// over are incremented; the others get 0 hits (still touched, so their statuses show their current count). A call
    /// rejected because of one descriptor then does not use up the others. Like the reference, the look and the count are
    /// two round trips, not one atomic step. Refunds are never held back.
    /// </summary>
    private async ValueTask<string?> HoldBackIncrementsWhenOverAsync(MatchedLimit?[] limits, IReadOnlyList<RequestDescriptor> descriptors, int[] operationIndex, bool[] fromLocalCache, CounterOperation[] operations, int operationCount, CancellationToken cancellationToken)
    {
        var wouldBeOver = new bool[operationCount];
        var anyOver = Array.IndexOf(fromLocalCache, true) >= 0;
        if (!anyOver)
        {
            var looks = new CounterOperation[operationCount];
            for (var j = 0; j < operationCount; j++)
            {
                looks[j] = operations[j] with { ReadOnly = true };
            }

            var current = new long[operationCount];
            var failure = await _store.TryApplyAsync(looks, current, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return failure;
            }

            for (var i = 0; i < limits.Length; i++)
            {
                if (limits[i] is not { } match || fromLocalCache[i] || descriptors[i].IsNegativeHits)
                {
                    continue;
                }

                var j = operationIndex[i];
                if (current[j] + operations[j].Hits > match.Rule.RequestsPerUnit)
                {
                    wouldBeOver[j] = true;
                    anyOver = true;
                }
            }
        }

        if (!anyOver)
        {
            return null;
        }

        for (var j = 0; j < operationCount; j++)
        {
            if (!wouldBeOver[j] && operations[j].Hits > 0)
            {
                operations[j] = operations[j] with { Hits = 0 };
            }
        }

        return null;
    }

    /// <summary>Looks up every descriptor, then drops replaced and unlimited ones from what gets counted.</summary>
    private static MatchedLimit?[] Resolve(RateLimitConfig config, string domain, IReadOnlyList<RequestDescriptor> descriptors, MatchedLimit?[] matches)
    {
        HashSet<string>? replaced = null;
        for (var i = 0; i < descriptors.Count; i++)
        {
            var match = config.Find(domain, descriptors[i]);
            matches[i] = match;
            if (match is { Rule.Replaces.Count: > 0 })
            {
                replaced ??= new HashSet<string>(StringComparer.Ordinal);
                replaced.UnionWith(match.Rule.Replaces);
            }
        }

        var limits = new MatchedLimit?[descriptors.Count];
        for (var i = 0; i < descriptors.Count; i++)
        {
            var match = matches[i];
            if (match is null || match.Rule.Unlimited)
            {
                continue;
            }

            if (replaced is not null && match.Rule.Name.Length > 0 && replaced.Contains(match.Rule.Name))
            {
                matches[i] = null;
                continue;
            }

            limits[i] = match;
        }

        return limits;
    }

    private DescriptorDecision Decide(MatchedLimit match, string key, long hits, long after, long window, long reset)
    {
        var rule = match.Rule;
        long limit = rule.RequestsPerUnit;
        var before = after - hits;
        var nearThreshold = (long)Math.Floor(limit * _options.NearLimitRatio);
        if (after > limit)
        {
            if (before >= limit)
            {
                _metrics.OverLimit(match.StatsKey, hits);
            }
            else
            {
                _metrics.OverLimit(match.StatsKey, after - limit);
                _metrics.NearLimit(match.StatsKey, limit - Math.Max(nearThreshold, before));
            }

            _localCache?.Add(key, window);
            if (rule.ShadowMode)
            {
                _metrics.ShadowMode(match.StatsKey, before >= limit ? hits : after - limit);
                return new DescriptorDecision(LimitCode.Ok, rule, 0, reset);
            }

            return new DescriptorDecision(LimitCode.OverLimit, rule, 0, reset);
        }

        if (after > nearThreshold)
        {
            _metrics.NearLimit(match.StatsKey, before >= nearThreshold ? hits : after - nearThreshold);
        }

        _metrics.WithinLimit(match.StatsKey, hits);
        return new DescriptorDecision(LimitCode.Ok, rule, (uint)(limit - after), reset);
    }

    private int Jitter() => _options.ExpirationJitterMaxSeconds > 0 ? _jitter.Next(_options.ExpirationJitterMaxSeconds) : 0;
}
