using System.Diagnostics.Metrics;

namespace AiGateway.RateLimit.Telemetry;

/// <summary>
/// The reference service's stats as System.Diagnostics.Metrics instruments (exported on /metrics). Per-rule counters
/// carry the reference stats key (<c>domain.key1_value1.key2</c>) in the <c>key</c> tag and count hits, not calls.
/// </summary>
public sealed class RateLimitMetrics : IDisposable
{
    /// <summary>The meter name to subscribe to.</summary>
    public const string MeterName = "AiGateway.RateLimit";

    private const string RulePrefix = "ratelimit.service.rate_limit.";
    private readonly Meter _meter;
    private readonly Counter<long> _totalHits;
    private readonly Counter<long> _overLimit;
    private readonly Counter<long> _nearLimit;
    private readonly Counter<long> _withinLimit;
    private readonly Counter<long> _overLimitWithLocalCache;
    private readonly Counter<long> _shadowMode;
    private readonly Counter<long> _domainNotFound;
    private readonly Counter<long> _redisError;
    private readonly Counter<long> _serviceError;
    private readonly Counter<long> _configLoadSuccess;
    private readonly Counter<long> _configLoadError;
    private readonly Counter<long> _globalShadowMode;
    private readonly Counter<long> _totalRequests;
    private readonly Histogram<double> _responseTime;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    /// <param name="meterFactory">Where the meter comes from.</param>
    /// <param name="meterName">The meter's name; only tests running several servers in one process need another one.</param>
    public RateLimitMetrics(IMeterFactory meterFactory, string meterName = MeterName)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(meterName);
        _totalHits = _meter.CreateCounter<long>(RulePrefix + "total_hits", description: "Hits checked against a rule.");
        _overLimit = _meter.CreateCounter<long>(RulePrefix + "over_limit", description: "Hits over a rule's limit.");
        _nearLimit = _meter.CreateCounter<long>(RulePrefix + "near_limit", description: "Hits above the near-limit ratio.");
        _withinLimit = _meter.CreateCounter<long>(RulePrefix + "within_limit", description: "Hits within a rule's limit.");
        _overLimitWithLocalCache = _meter.CreateCounter<long>(RulePrefix + "over_limit_with_local_cache", description: "Over-limit hits answered from the local cache.");
        _shadowMode = _meter.CreateCounter<long>(RulePrefix + "shadow_mode", description: "Over-limit hits let through by a shadow-mode rule.");
        _domainNotFound = _meter.CreateCounter<long>(RulePrefix + "domain_not_found", description: "Calls for a domain no config file declares.");
        _redisError = _meter.CreateCounter<long>("ratelimit.service.call.should_rate_limit.redis_error", description: "Calls failed because the counter store failed or was too slow.");
        _serviceError = _meter.CreateCounter<long>("ratelimit.service.call.should_rate_limit.service_error", description: "Calls failed because of the request or a missing config.");
        _configLoadSuccess = _meter.CreateCounter<long>("ratelimit.service.config_load_success", description: "Config loads that went into service.");
        _configLoadError = _meter.CreateCounter<long>("ratelimit.service.config_load_error", description: "Config loads that failed (the previous config stayed).");
        _globalShadowMode = _meter.CreateCounter<long>("ratelimit.service.global_shadow_mode", description: "Over-limit calls answered OK by global shadow mode.");
        _totalRequests = _meter.CreateCounter<long>("ratelimit_server.ShouldRateLimit.total_requests", description: "ShouldRateLimit calls.");
        _responseTime = _meter.CreateHistogram<double>(
            "ratelimit_server.ShouldRateLimit.response_time",
            unit: "ms",
            description: "Time to decide one call.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100] });
    }

    internal void TotalHits(string key, long hits) => _totalHits.Add(hits, Key(key));

    internal void OverLimit(string key, long hits) => _overLimit.Add(hits, Key(key));

    internal void NearLimit(string key, long hits) => _nearLimit.Add(hits, Key(key));

    internal void WithinLimit(string key, long hits) => _withinLimit.Add(hits, Key(key));

    internal void OverLimitWithLocalCache(string key, long hits) => _overLimitWithLocalCache.Add(hits, Key(key));

    internal void ShadowMode(string key, long hits) => _shadowMode.Add(hits, Key(key));

    internal void DomainNotFound(string domain) => _domainNotFound.Add(1, new KeyValuePair<string, object?>("domain", domain));

    internal void GlobalShadowMode() => _globalShadowMode.Add(1);

    /// <summary>Counts a call that failed because the store did.</summary>
    public void RedisError() => _redisError.Add(1);

    /// <summary>Counts a call that failed because of the request or service state.</summary>
    public void ServiceError() => _serviceError.Add(1);

    /// <summary>Counts a config load that went into service.</summary>
    public void ConfigLoadSuccess() => _configLoadSuccess.Add(1);

    /// <summary>Counts a config load that failed.</summary>
    public void ConfigLoadError() => _configLoadError.Add(1);

    /// <summary>Records one call and how long it took.</summary>
    public void Request(TimeSpan elapsed)
    {
        _totalRequests.Add(1);
        _responseTime.Record(elapsed.TotalMilliseconds);
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> Key(string key) => new("key", key);
}
