namespace AiGateway.RateLimit.Storage;

/// <summary>
/// Counters in process memory, for a single instance (trials, tests). Each call is applied under one lock, so like the
/// Redis script it is atomic across the request's descriptors. Expired counters are swept as time passes.
/// </summary>
public sealed class InMemoryRateLimitStore : IRateLimitStore
{
    private readonly Dictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private long _nextSweep;

    /// <summary>Creates an empty store.</summary>
    public InMemoryRateLimitStore(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
    }

    /// <summary>How many counters are held (expired ones until the next sweep).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _counters.Count;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask ApplyAsync(ReadOnlyMemory<CounterOperation> operations, Memory<long> results, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var ops = operations.Span;
        var output = results.Span;
        lock (_lock)
        {
            if (now >= _nextSweep)
            {
                Sweep(now);
                _nextSweep = now + 10_000;
            }

            for (var i = 0; i < ops.Length; i++)
            {
                var op = ops[i];
                var exists = _counters.TryGetValue(op.Key, out var counter) && counter.ExpiresAt > now;
                if (op.ReadOnly)
                {
                    output[i] = exists ? counter.Value : 0;
                    continue;
                }

                if (op.Hits < 0)
                {
                    if (!exists)
                    {
                        output[i] = 0;
                        continue;
                    }

                    counter.Value = Math.Max(0, counter.Value + op.Hits);
                }
                else
                {
                    counter.Value = exists ? counter.Value + op.Hits : op.Hits;
                }

                counter.ExpiresAt = now + (op.ExpireSeconds * 1000);
                _counters[op.Key] = counter;
                output[i] = counter.Value;
            }
        }

        return ValueTask.CompletedTask;
    }

    private void Sweep(long now)
    {
        foreach (var (key, counter) in _counters)
        {
            if (counter.ExpiresAt <= now)
            {
                _counters.Remove(key);
            }
        }
    }

    private struct Counter
    {
        public long Value;
        public long ExpiresAt;
    }
}
