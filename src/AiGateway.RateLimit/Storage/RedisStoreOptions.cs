namespace AiGateway.RateLimit.Storage;

/// <summary>Settings of the Redis counter store.</summary>
public sealed class RedisStoreOptions
{
    /// <summary>
    /// How long one call may wait for Redis before the call fails (gRPC UNAVAILABLE), so Envoy's failure mode decides
    /// well before its own 20 ms rate-limit timeout. The reference's <c>REDIS_TIMEOUT</c> (10 s) is far longer.
    /// </summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>How long the first connection attempt may take; later reconnects happen in the background.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Pause between reconnect attempts while Redis is down.</summary>
    public TimeSpan ReconnectInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Checks the values.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Deadline, TimeSpan.Zero, nameof(Deadline));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero, nameof(ConnectTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ReconnectInterval, TimeSpan.Zero, nameof(ReconnectInterval));
    }
}
