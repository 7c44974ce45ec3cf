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
    /// ARGV holds (hits, ttl) per key. Non-negative hits: INCRBY (0 only touches the key, as the reference does for a
    /// check), then EXPIRE only when the counter was 0 before (the result equals the hits: a new key, or one that only
    /// checks or refunds have touched). The key's name carries its window, so a TTL of window + jitter set then already
    /// outlives the window; skipping the reference's EXPIRE on every later call saves a command per counter. Negative hits: a refund that never goes below zero and never creates a missing key. A negative
    /// ttl only reads the counter (0 when missing), for <c>STOP_CACHE_KEY_INCREMENT_WHEN_OVERLIMIT</c>'s first look.
    /// </summary>
    public const string Script = """
        local results = {}
        for i = 1, #KEYS do
          local hits = tonumber(ARGV[i * 2 - 1])
          local ttl = tonumber(ARGV[i * 2])
          if ttl < 0 then
            results[i] = tonumber(redis.call('GET', KEYS[i]) or '0')
          elseif hits >= 0 then
            local value = redis.call('INCRBY', KEYS[i], hits)
            results[i] = value
            if value == hits then
              redis.call('EXPIRE', KEYS[i], ttl)
            end
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

    /// <summary>What <see cref="TryApplyAsync"/> answers when the caller gave up (Envoy's timeout, a closed stream) first.</summary>
    public const string CancelledMessage = "the call was cancelled before Redis answered";

    private static readonly ClusterModeCache ClusterModes = new();

    private readonly IConnectionMultiplexer _main;
    private readonly IConnectionMultiplexer? _perSecond;
    private readonly IDatabase _mainDatabase;
    private readonly IDatabase? _perSecondDatabase;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _deadline;
    private readonly string _timeoutMessage;
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
        _mainDatabase = main.GetDatabase();
        _perSecondDatabase = perSecond?.GetDatabase();
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _deadline = options.Deadline;
        _timeoutMessage = $"Redis did not answer within {_deadline.TotalMilliseconds} ms";
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
        if (await TryApplyAsync(operations, results, cancellationToken).ConfigureAwait(false) is { } failure)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new RateLimitStoreException(failure);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// No exception is thrown or caught on the way: the deadline completes a waiting task, and a Redis failure is read
    /// off the faulted task. Under overload, when deadlines are missed by the thousand, this keeps each failed call cheap
    /// instead of making the overload worse.
    /// </remarks>
    public async ValueTask<string?> TryApplyAsync(ReadOnlyMemory<CounterOperation> operations, Memory<long> results, CancellationToken cancellationToken)
    {
        if (operations.IsEmpty)
        {
            return null;
        }

        Task work;
        try
        {
            work = _perSecond is null || !AnyPerSecond(operations.Span)
                ? RunAsync(_main, _mainDatabase, operations, results, null)
                : Task.WhenAll(RunAsync(_main, _mainDatabase, operations, results, perSecond: false), RunAsync(_perSecond, _perSecondDatabase!, operations, results, perSecond: true));
        }
        catch (RedisException e)
        {
            return "Redis failed: " + e.Message;
        }

        var waited = work.IsCompleted ? work : work.WaitAsync(_deadline, _timeProvider, cancellationToken);
        await waited.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (waited.IsCompletedSuccessfully)
        {
            return null;
        }

        if (waited.IsCanceled)
        {
            return CancelledMessage;
        }

        return waited.Exception?.InnerException switch
        {
            TimeoutException => _timeoutMessage,
            { } e => "Redis failed: " + e.Message,
            null => "Redis failed",
        };
    }

    /// <summary>
    /// Waits until every Redis is connected, then loads the script on each primary, so the first calls already go by hash
    /// (EVALSHA) instead of each sending the whole script.
    /// </summary>
    /// <exception cref="RateLimitStoreException">A Redis is not connected, or loading the script failed.</exception>
    public async ValueTask PrepareAsync(CancellationToken cancellationToken)
    {
        foreach (var redis in _perSecond is null ? [_main] : new[] { _main, _perSecond })
        {
            if (!redis.IsConnected)
            {
                throw new RateLimitStoreException("Redis is not connected");
            }

            try
            {
                foreach (var endpoint in redis.GetEndPoints())
                {
                    var server = redis.GetServer(endpoint);
                    if (server.IsConnected && !server.IsReplica)
                    {
                        await server.ScriptLoadAsync(Script).WaitAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (RedisException e)
            {
                throw new RateLimitStoreException("Redis failed to load the script: " + e.Message, e);
            }
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
    private static Task RunAsync(IConnectionMultiplexer redis, IDatabase database, ReadOnlyMemory<CounterOperation> operations, Memory<long> results, bool? perSecond)
    {
        if (perSecond is null && !IsCluster(redis))
        {
            // The common case: one Redis, every counter of the call in one script, no index bookkeeping.
            return EvaluateAllAsync(database, operations, results);
        }

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

        if (!IsCluster(redis))
        {
            return EvaluateAsync(database, operations, results, selected);
        }

        var bySlot = selected.GroupBy(i => redis.HashSlot(operations.Span[i].Key));
        return Task.WhenAll(bySlot.Select(group => EvaluateAsync(database, operations, results, group.ToList())));
    }

    private static async Task EvaluateAllAsync(IDatabase database, ReadOnlyMemory<CounterOperation> operations, Memory<long> results)
    {
        var ops = operations.Span;
        var keys = new RedisKey[ops.Length];
        var values = new RedisValue[ops.Length * 2];
        for (var j = 0; j < ops.Length; j++)
        {
            keys[j] = ops[j].Key;
            values[j * 2] = ops[j].Hits;
            values[(j * 2) + 1] = ops[j].ReadOnly ? -1 : ops[j].ExpireSeconds;
        }

        var reply = await database.ScriptEvaluateAsync(Script, keys, values).ConfigureAwait(false);
        var counts = (RedisResult[])reply!;
        var output = results.Span;
        for (var j = 0; j < counts.Length; j++)
        {
            output[j] = (long)counts[j];
        }
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
            values[(j * 2) + 1] = op.ReadOnly ? -1 : op.ExpireSeconds;
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
