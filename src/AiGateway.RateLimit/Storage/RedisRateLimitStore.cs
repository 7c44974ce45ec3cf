using StackExchange.Redis;

namespace AiGateway.RateLimit.Storage;

/// <summary>
/// Fixed-window counters in Redis, shareable with the reference service (same keys, plain integer values, INCRBY +
/// EXPIRE). One call is one Lua script over all of the request's counters, so the check-and-count is atomic and costs
/// one round trip (two when per-second limits live on a separate Redis; one per hash slot on a cluster). One
/// multiplexer per Redis is shared by every call, so concurrent calls are pipelined on its connection. Failures and
/// answers slower than the deadline become <see cref="RateLimitStoreException"/>; the multiplexer reconnects on its own.
/// </summary>
public sealed class RedisRateLimitStore : IRateLimitStore, IAsyncDisposable
{
    /// <summary>
    /// ARGV holds (hits, ttl) per key. Non-negative hits: INCRBY then EXPIRE (0 only touches the key, as the reference
    /// does for a check). Negative hits: a refund that never goes below zero and never creates a missing key.
    /// </summary>
    public const string Script = """
        local results = {}
        for i = 1, #KEYS do
          local hits = tonumber(ARGV[i * 2 - 1])
          local ttl = tonumber(ARGV[i * 2])
          if hits >= 0 then
            results[i] = redis.call('INCRBY', KEYS[i], hits)
            redis.call('EXPIRE', KEYS[i], ttl)
          else
            local current = tonumber(redis.call('GET', KEYS[i]) or '')
            if current == nil then
              results[i] = 0
            else
              local value = current + hits
              if value < 0 then value = 0 end
              redis.call('SET', KEYS[i], value, 'EX', ttl)
              results[i] = value
            end
          end
        end
        return results
        """;

    private static readonly ClusterModeCache ClusterModes = new();

    private readonly IConnectionMultiplexer _main;
    private readonly IConnectionMultiplexer? _perSecond;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _deadline;
    private readonly bool _ownsConnections;

    /// <summary>Uses existing multiplexers (the caller keeps ownership).</summary>
    /// <param name="main">The Redis for all counters (or all but per-second ones).</param>
    /// <param name="perSecond">A separate Redis for per-second counters, or null.</param>
    /// <param name="options">Deadline and connection settings.</param>
    /// <param name="timeProvider">The clock for the deadline.</param>
    public RedisRateLimitStore(IConnectionMultiplexer main, IConnectionMultiplexer? perSecond, RedisStoreOptions options, TimeProvider timeProvider)
        : this(main, perSecond, options, timeProvider, ownsConnections: false)
    {
    }

    private RedisRateLimitStore(IConnectionMultiplexer main, IConnectionMultiplexer? perSecond, RedisStoreOptions options, TimeProvider timeProvider, bool ownsConnections)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _main = main ?? throw new ArgumentNullException(nameof(main));
        _perSecond = perSecond;
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _deadline = options.Deadline;
        _ownsConnections = ownsConnections;
        foreach (var redis in perSecond is null ? [main] : new[] { main, perSecond })
        {
            redis.ConnectionFailed += (_, e) => ConnectionFailed?.Invoke(e.EndPoint?.ToString() ?? "?", e.FailureType.ToString());
            redis.ConnectionRestored += (_, e) => ConnectionRestored?.Invoke(e.EndPoint?.ToString() ?? "?");
        }
    }

    /// <summary>Connects to Redis (and the per-second Redis, if given). Does not fail when Redis is down: calls fail until it is up.</summary>
    public static async Task<RedisRateLimitStore> ConnectAsync(string redis, string? perSecondRedis, RedisStoreOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        var main = await ConnectionMultiplexer.ConnectAsync(RedisConnectionString.Parse(redis, options)).ConfigureAwait(false);
        IConnectionMultiplexer? perSecond = null;
        if (!string.IsNullOrWhiteSpace(perSecondRedis))
        {
            perSecond = await ConnectionMultiplexer.ConnectAsync(RedisConnectionString.Parse(perSecondRedis, options)).ConfigureAwait(false);
        }

        return new RedisRateLimitStore(main, perSecond, options, timeProvider, ownsConnections: true);
    }

    /// <summary>Raised with the endpoint and failure type when a Redis connection drops.</summary>
    public event Action<string, string>? ConnectionFailed;

    /// <summary>Raised with the endpoint when a Redis connection is back.</summary>
    public event Action<string>? ConnectionRestored;

    /// <summary>True when the main Redis (and the per-second one) is connected.</summary>
    public bool IsConnected => _main.IsConnected && (_perSecond?.IsConnected ?? true);

    /// <inheritdoc />
    public async ValueTask ApplyAsync(ReadOnlyMemory<CounterOperation> operations, Memory<long> results, CancellationToken cancellationToken)
    {
        if (operations.IsEmpty)
        {
            return;
        }

        try
        {
            var work = _perSecond is null || !AnyPerSecond(operations.Span)
                ? RunAsync(_main, operations, results, null)
                : Task.WhenAll(RunAsync(_main, operations, results, perSecond: false), RunAsync(_perSecond, operations, results, perSecond: true));
            await work.WaitAsync(_deadline, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new RateLimitStoreException($"Redis did not answer within {_deadline.TotalMilliseconds} ms", e);
        }
        catch (RedisException e)
        {
            throw new RateLimitStoreException("Redis failed: " + e.Message, e);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_ownsConnections)
        {
            await _main.DisposeAsync().ConfigureAwait(false);
            if (_perSecond is not null)
            {
                await _perSecond.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static bool AnyPerSecond(ReadOnlySpan<CounterOperation> operations)
    {
        foreach (var op in operations)
        {
            if (op.PerSecond)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Runs the script over the operations selected by <paramref name="perSecond"/> (all when null), grouped by hash slot on a cluster.</summary>
    private static Task RunAsync(IConnectionMultiplexer redis, ReadOnlyMemory<CounterOperation> operations, Memory<long> results, bool? perSecond)
    {
        var ops = operations.Span;
        var selected = new List<int>(ops.Length);
        for (var i = 0; i < ops.Length; i++)
        {
            if (perSecond is null || ops[i].PerSecond == perSecond)
            {
                selected.Add(i);
            }
        }

        if (selected.Count == 0)
        {
            return Task.CompletedTask;
        }

        var database = redis.GetDatabase();
        if (!IsCluster(redis))
        {
            return EvaluateAsync(database, operations, results, selected);
        }

        var bySlot = selected.GroupBy(i => redis.HashSlot(operations.Span[i].Key));
        return Task.WhenAll(bySlot.Select(group => EvaluateAsync(database, operations, results, group.ToList())));
    }

    private static async Task EvaluateAsync(IDatabase database, ReadOnlyMemory<CounterOperation> operations, Memory<long> results, List<int> indexes)
    {
        var keys = new RedisKey[indexes.Count];
        var values = new RedisValue[indexes.Count * 2];
        var ops = operations.Span;
        for (var j = 0; j < indexes.Count; j++)
        {
            var op = ops[indexes[j]];
            keys[j] = op.Key;
            values[j * 2] = op.Hits;
            values[(j * 2) + 1] = op.ExpireSeconds;
        }

        var reply = await database.ScriptEvaluateAsync(Script, keys, values).ConfigureAwait(false);
        var counts = (RedisResult[])reply!;
        var output = results.Span;
        for (var j = 0; j < indexes.Count; j++)
        {
            output[indexes[j]] = (long)counts[j];
        }
    }

    private static bool IsCluster(IConnectionMultiplexer redis)
    {
        // Known once connected; cluster mode does not change for a connection's life.
        if (ClusterModes.TryGetValue(redis, out var known))
        {
            return known;
        }

        if (!redis.IsConnected)
        {
            return false;
        }

        var cluster = DetectCluster(redis);
        ClusterModes.AddOrUpdate(redis, cluster);
        return cluster;
    }

    private static bool DetectCluster(IConnectionMultiplexer redis)
    {
        foreach (var endpoint in redis.GetEndPoints())
        {
            if (redis.GetServer(endpoint).ServerType == ServerType.Cluster)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Remembers per multiplexer whether it talks to a cluster.</summary>
    private sealed class ClusterModeCache
    {
        private readonly System.Runtime.CompilerServices.ConditionalWeakTable<IConnectionMultiplexer, StrongBox> _modes = [];

        public bool TryGetValue(IConnectionMultiplexer redis, out bool cluster)
        {
            var found = _modes.TryGetValue(redis, out var box);
            cluster = found && box!.Value;
            return found;
        }

        public void AddOrUpdate(IConnectionMultiplexer redis, bool cluster) => _modes.AddOrUpdate(redis, new StrongBox(cluster));

        private sealed class StrongBox(bool value)
        {
            public bool Value { get; } = value;
        }
    }
}
