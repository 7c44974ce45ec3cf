using AiGateway.Core.Configuration;
using AiGateway.Core.Pricing;
using AiGateway.TestKit;
using Microsoft.Extensions.Time.Testing;

namespace AiGateway.Core.Tests.Configuration;

public sealed class CostManagementConfigTests
{
    private static GatewaySnapshot LoadSeedCosts(out ConfigLoadResult result)
    {
        var loader = new GatewayConfigLoader(_ => true, _ => null, new FakeTimeProvider());
        result = loader.Load(FixtureFiles.Text("Pricing", "seed-costs.yaml"), "seed-costs.yaml");
        return result.Snapshot ?? throw new InvalidOperationException(string.Join("\n", result.Findings));
    }

    [Fact]
    public void Reads_the_seed_provider_costs_keyed_by_provider_type()
    {
        var snapshot = LoadSeedCosts(out _);

        Assert.True(snapshot.Costs.TryGetPrice("primary", "gpt-4", out var gpt4));
        Assert.Equal(new ModelPrice(30m, 60m, 30m, 30m, 60m), gpt4);
        Assert.True(snapshot.Costs.TryGetPrice("secondary", "gpt-4", out var azure));
        Assert.Equal(30m, azure.Input);
        Assert.True(snapshot.Costs.TryGetPrice("fallback", "granite-13b-chat-v2", out var granite));
        Assert.Equal(new ModelPrice(1m, 1m, 1m, 1m, 1m), granite);
        Assert.True(snapshot.Costs.ResponseHeader);
    }

    [Fact]
    public void Prefers_prices_under_the_provider_name_to_those_under_its_type_and_to_the_shipped_list()
    {
        var snapshot = LoadSeedCosts(out _);

        Assert.True(snapshot.Costs.TryGetPrice("primary", "o4-mini", out var price));

        Assert.Equal(new ModelPrice(1.1m, 4.4m, 1.1m, 1.1m, 5m), price);
    }

    [Fact]
    public void Falls_back_to_the_shipped_prices_for_models_the_file_does_not_price()
    {
        var snapshot = LoadSeedCosts(out _);

        Assert.True(snapshot.Costs.TryGetPrice("primary", "gpt-4o-2024-08-06", out var dated));
        Assert.Equal(new ModelPrice(2.5m, 10m, 1.25m, 2.5m, 10m), dated);
        Assert.True(snapshot.Costs.TryGetPrice("secondary", "gpt-4o-mini", out var azureMini));
        Assert.Equal(0.15m, azureMini.Input);
    }

    [Fact]
    public void Warns_about_served_models_without_a_price_and_about_budgets_not_supported_yet()
    {
        var snapshot = LoadSeedCosts(out var result);

        Assert.False(snapshot.Costs.TryGetPrice("fallback", "my-private-model", out _));
        Assert.Equal(
            [
                "seed-costs.yaml:54: warning: cost_management.budgets: 'budgets' is not supported yet and has no effect",
                "seed-costs.yaml:28: warning: providers[2].models[1]: no price for model 'my-private-model' of provider 'fallback'; add it under cost_management.provider_costs to report its cost",
            ],
            result.Findings.Select(f => f.ToString()));
    }

    [Fact]
    public void Prices_the_sample_configuration_without_a_cost_section_from_the_shipped_list()
    {
        var loader = new GatewayConfigLoader(_ => true, name => name + "-value", new FakeTimeProvider());

        var snapshot = loader.Load(FixtureFiles.Text("Configuration", "seed-fallback.yaml"), "seed-fallback.yaml").Snapshot!;

        Assert.True(snapshot.Costs.Enabled);
        Assert.False(snapshot.Costs.ResponseHeader);
        Assert.True(snapshot.Costs.TryGetPrice("primary", "gpt-4", out var price));
        Assert.Equal(30m, price.Input);
    }

    [Fact]
    public void Prices_nothing_when_cost_management_is_disabled()
    {
        var yaml = FixtureFiles.Text("Pricing", "seed-costs.yaml").Replace("  enabled: true", "  enabled: false", StringComparison.Ordinal);
        var loader = new GatewayConfigLoader(_ => true, _ => null, new FakeTimeProvider());

        var snapshot = loader.Load(yaml, "seed-costs.yaml").Snapshot!;

        Assert.False(snapshot.Costs.TryGetPrice("primary", "gpt-4", out _));
    }
}
