namespace AiGateway.Core.Configuration;

/// <summary>
/// Holds the current <see cref="GatewaySnapshot"/>. A reload swaps it atomically; a bad reload keeps the
/// last good snapshot and counts the failure.
/// </summary>
public sealed class GatewayConfigStore
{
    private GatewaySnapshot _current;
    private long _reloadFailures;

    /// <summary>Starts with a snapshot that loaded successfully.</summary>
    public GatewayConfigStore(GatewaySnapshot initial)
    {
        ArgumentNullException.ThrowIfNull(initial);
        _current = initial;
    }

    /// <summary>The snapshot new streams should use.</summary>
    public GatewaySnapshot Current => Volatile.Read(ref _current);

    /// <summary>How many reloads failed since start.</summary>
    public long ReloadFailures => Interlocked.Read(ref _reloadFailures);

    /// <summary>Raised after a successful swap.</summary>
    public event Action<GatewaySnapshot>? Reloaded;

    /// <summary>Applies a load result: swaps on success, keeps the old snapshot on failure.</summary>
    /// <returns>True when the snapshot was swapped.</returns>
    public bool Apply(ConfigLoadResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Succeeded)
        {
            Interlocked.Increment(ref _reloadFailures);
            return false;
        }

        Volatile.Write(ref _current, result.Snapshot);
        Reloaded?.Invoke(result.Snapshot);
        return true;
    }
}
