namespace AiGateway.RateLimit.Storage;

/// <summary>One counter change of a <c>ShouldRateLimit</c> call.</summary>
/// <param name="Key">The counter key (reference format: prefix, domain, entries, window start).</param>
/// <param name="Hits">What to add; 0 only touches the key (check only); negative refunds, never below zero.</param>
/// <param name="ExpireSeconds">The counter's time to live: the window plus jitter.</param>
/// <param name="PerSecond">The counter belongs to a per-second limit (may live on a separate Redis).</param>
public readonly record struct CounterOperation(string Key, long Hits, long ExpireSeconds, bool PerSecond)
{
    /// <summary>
    /// Only read the counter (0 when it does not exist): no change, no expiry, no key created. <see cref="Hits"/> and
    /// <see cref="ExpireSeconds"/> are ignored. Used by <c>STOP_CACHE_KEY_INCREMENT_WHEN_OVERLIMIT</c> to look first.
    /// </summary>
    public bool ReadOnly { get; init; }
}
