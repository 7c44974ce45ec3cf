using System.Collections.Concurrent;

namespace AiGateway.RateLimit.Limiting;

/// <summary>
/// Counter keys seen over their limit, kept until their window would have ended (measured from insertion, as the
/// reference does). A request hitting one is answered over the limit without touching the store. Bounded by an
/// approximate byte budget; when full, expired keys are dropped first and new keys are skipped.
/// </summary>
internal sealed class LocalOverLimitCache
{
    private const int EntryOverhead = 64;
    private readonly ConcurrentDictionary<string, long> _expiries = new(StringComparer.Ordinal);
    private readonly long _capacityBytes;
    private readonly TimeProvider _timeProvider;
    private long _usedBytes;

    public LocalOverLimitCache(long capacityBytes, TimeProvider timeProvider)
    {
        _capacityBytes = capacityBytes;
        _timeProvider = timeProvider;
    }

    public bool Contains(string key)
    {
        if (!_expiries.TryGetValue(key, out var expiresAt))
        {
            return false;
        }

        if (expiresAt > _timeProvider.GetUtcNow().ToUnixTimeMilliseconds())
        {
            return true;
        }

        if (_expiries.TryRemove(key, out _))
        {
            Interlocked.Add(ref _usedBytes, -Size(key));
        }

        return false;
    }

    public void Add(string key, long ttlSeconds)
    {
        var now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        if (Interlocked.Read(ref _usedBytes) + Size(key) > _capacityBytes)
        {
            Evict(now);
            if (Interlocked.Read(ref _usedBytes) + Size(key) > _capacityBytes)
            {
                return;
            }
        }

        if (_expiries.TryAdd(key, now + (ttlSeconds * 1000)))
        {
            Interlocked.Add(ref _usedBytes, Size(key));
        }
    }

    public void Remove(string key)
    {
        if (_expiries.TryRemove(key, out _))
        {
            Interlocked.Add(ref _usedBytes, -Size(key));
        }
    }

    private void Evict(long now)
    {
        foreach (var (key, expiresAt) in _expiries)
        {
            if (expiresAt <= now && _expiries.TryRemove(key, out _))
            {
                Interlocked.Add(ref _usedBytes, -Size(key));
            }
        }
    }

    private static long Size(string key) => (key.Length * 2L) + EntryOverhead;
}
