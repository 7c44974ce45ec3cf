namespace AiGateway.RateLimit.Configuration;

/// <summary>Holds the configuration in service; swapped atomically, read once per call.</summary>
public sealed class RateLimitConfigStore
{
    private RateLimitConfig? _current;

    /// <summary>Creates a store, optionally with a first configuration.</summary>
    public RateLimitConfigStore(RateLimitConfig? initial = null)
    {
        _current = initial;
    }

    /// <summary>The configuration in service; null until one has loaded.</summary>
    public RateLimitConfig? Current => Volatile.Read(ref _current);

    /// <summary>Puts a configuration in service.</summary>
    public void Set(RateLimitConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Volatile.Write(ref _current, config);
    }
}
