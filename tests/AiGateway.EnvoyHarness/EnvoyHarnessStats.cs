using System.Collections.Concurrent;

namespace AiGateway.EnvoyHarness;

/// <summary>
/// Counters named like Envoy's stats. Router-level ext_proc counters are <c>http.&lt;stat_prefix&gt;.ext_proc.&lt;name&gt;</c>,
/// upstream-level ones <c>cluster.&lt;cluster&gt;.ext_proc.&lt;name&gt;</c>; cluster counters are
/// <c>cluster.&lt;cluster&gt;.upstream_rq_total</c>, <c>upstream_rq_retry</c>, <c>upstream_rq_&lt;code&gt;</c>,
/// <c>upstream_cx_connect_fail</c>, <c>upstream_rq_timeout</c>, <c>upstream_rq_reset</c>.
/// </summary>
public sealed class EnvoyHarnessStats
{
    private readonly ConcurrentDictionary<string, long> _counters = new(StringComparer.Ordinal);

    /// <summary>The value of one counter; 0 when it was never incremented.</summary>
    public long Get(string name) => _counters.TryGetValue(name, out var value) ? value : 0;

    /// <summary>The sum of every counter whose name ends with <paramref name="suffix"/> (e.g. <c>ext_proc.streams_started</c>).</summary>
    public long Sum(string suffix) => _counters.Where(c => c.Key.EndsWith(suffix, StringComparison.Ordinal)).Sum(c => c.Value);

    /// <summary>A copy of all counters.</summary>
    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_counters, StringComparer.Ordinal);

    internal void Increment(string name) => _counters.AddOrUpdate(name, 1, (_, value) => value + 1);
}
