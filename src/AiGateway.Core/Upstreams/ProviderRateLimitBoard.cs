using System.Collections.Concurrent;

namespace AiGateway.Core.Upstreams;

/// <summary>
/// The latest rate-limit signals each provider sent, for routing decisions (least-loaded, cool-down after
/// a 429). Written on every provider response; thread-safe.
/// </summary>
public sealed class ProviderRateLimitBoard
{
    private readonly ConcurrentDictionary<string, Entry> _latest = new(StringComparer.Ordinal);

    /// <summary>Records what <paramref name="provider"/> said at <paramref name="at"/>; empty signals are ignored.</summary>
    public void Record(string provider, ProviderRateLimits limits, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (!limits.IsEmpty)
        {
            _latest[provider] = new Entry(limits, at);
        }
    }

    /// <summary>The latest signals of a provider and when they came.</summary>
    public bool TryGet(string provider, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ProviderRateLimits? limits, out DateTimeOffset at)
    {
        if (_latest.TryGetValue(provider, out var entry))
        {
            (limits, at) = (entry.Limits, entry.At);
            return true;
        }

        (limits, at) = (null, default);
        return false;
    }

    private sealed record Entry(ProviderRateLimits Limits, DateTimeOffset At);
}
