using System.Diagnostics.Metrics;
using AiGateway.RateLimit.Configuration;
using AiGateway.RateLimit.Limiting;
using AiGateway.RateLimit.Storage;
using AiGateway.RateLimit.Telemetry;
using BenchmarkDotNet.Attributes;

namespace AiGateway.Benchmarks;

/// <summary>
/// The rate-limit service's per-call work without the network: building a counter key, looking a descriptor up in the
/// compiled tree, and a whole decision for 1 and 3 descriptors on the in-memory store.
/// </summary>
[MemoryDiagnoser]
public class RateLimitBenchmarks
{
    private const string Yaml = """
        domain: bench
        descriptors:
          - key: user
            rate_limit: { unit: hour, requests_per_unit: 4000000000 }
          - key: team
            descriptors:
              - key: model
                value: gpt-4o*
                rate_limit: { unit: minute, requests_per_unit: 4000000000 }
        """;

    private readonly DescriptorEntry[] _entries = [new("team", "research"), new("model", "gpt-4o-mini")];
    private RateLimitConfig _config = null!;
    private RequestDescriptor _nested = null!;
    private FixedWindowLimiter _limiter = null!;
    private LimitRequest _one = null!;
    private LimitRequest _three = null!;

    [GlobalSetup]
    public void Setup()
    {
        _config = new RateLimitConfigLoader().Load([new RateLimitConfigFile("bench.yaml", Yaml)]).Config!;
        _nested = new RequestDescriptor(_entries);
        _limiter = new FixedWindowLimiter(new RateLimitConfigStore(_config), new InMemoryRateLimitStore(TimeProvider.System), TimeProvider.System, new RateLimiterOptions(), new RateLimitMetrics(new Factory()));
        var user = new RequestDescriptor([new("user", "alice")]);
        _one = new LimitRequest("bench", [user]);
        _three = new LimitRequest("bench", [user, _nested, new RequestDescriptor([new("user", "bob")])]);
    }

    [Benchmark]
    public string CacheKey() => CacheKeyBuilder.Build(string.Empty, "bench", _entries, null, 1_699_999_980);

    [Benchmark]
    public MatchedLimit? Lookup() => _config.Find("bench", _nested);

    [Benchmark]
    public async Task<LimitDecision> DecideOneDescriptor() => await _limiter.ShouldRateLimitAsync(_one, CancellationToken.None);

    [Benchmark]
    public async Task<LimitDecision> DecideThreeDescriptors() => await _limiter.ShouldRateLimitAsync(_three, CancellationToken.None);

    private sealed class Factory : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }
}
