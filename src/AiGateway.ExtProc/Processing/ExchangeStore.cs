using System.Collections.Concurrent;

namespace AiGateway.ExtProc.Processing;

/// <summary>
/// The in-memory link between a request's router-level stream and its upstream-level streams (same
/// process). Entries are removed when the router-level stream ends; a sweep drops any older than the
/// maximum age so a stream Envoy never closed cannot leak.
/// </summary>
internal sealed class ExchangeStore(TimeProvider timeProvider, TimeSpan maxAge)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _lastSweep = timeProvider.GetTimestamp();

    /// <summary>Number of live exchanges.</summary>
    public int Count => _entries.Count;

    /// <summary>Adds an exchange under its request id.</summary>
    public void Add(ExchangeState state)
    {
        var now = timeProvider.GetTimestamp();
        _entries[state.RequestId] = new Entry(state, now);
        if (timeProvider.GetElapsedTime(Interlocked.Read(ref _lastSweep), now) > TimeSpan.FromSeconds(30))
        {
            Interlocked.Exchange(ref _lastSweep, now);
            Sweep(now);
        }
    }

    /// <summary>Finds an exchange by request id.</summary>
    public bool TryGet(string requestId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ExchangeState? state)
    {
        if (_entries.TryGetValue(requestId, out var entry))
        {
            state = entry.State;
            return true;
        }

        state = null;
        return false;
    }

    /// <summary>Removes an exchange.</summary>
    public void Remove(string requestId) => _entries.TryRemove(requestId, out _);

    private void Sweep(long now)
    {
        foreach (var (id, entry) in _entries)
        {
            if (timeProvider.GetElapsedTime(entry.AddedAt, now) > maxAge)
            {
                _entries.TryRemove(id, out _);
            }
        }
    }

    private readonly record struct Entry(ExchangeState State, long AddedAt);
}
