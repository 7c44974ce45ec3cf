using AiGateway.Core.Configuration;
using AiGateway.Core.Pricing;
using AiGateway.Core.Tokens;
using BenchmarkDotNet.Attributes;

namespace AiGateway.Benchmarks;

/// <summary>Per-request pricing: the snapshot lookup of a (provider, model) price and the cost of a usage with cached and reasoning tokens.</summary>
[MemoryDiagnoser]
public class CostBenchmarks
{
    private readonly TokenUsage _usage = new(12_000, 800, 12_800, 8_000, true) { ReasoningTokens = 300 };
    private CostSettings _costs = null!;

    [GlobalSetup]
    public void Setup()
    {
        var yaml = "providers:\n  - name: openai\n    type: openai\n    endpoint: https://api.openai.com/v1\n    api_key: sk\n    models: [gpt-4o, gpt-4o-mini, o4-mini]\n";
        _costs = new GatewayConfigLoader(_ => true, _ => null, TimeProvider.System).Load(yaml, "bench.yaml").Snapshot!.Costs;
    }

    [Benchmark]
    public long Price_one_request() =>
        _costs.TryGetPrice("openai", "o4-mini", out var price) ? CostCalculator.RoundedMicroUsd(_usage, price) : 0;
}
