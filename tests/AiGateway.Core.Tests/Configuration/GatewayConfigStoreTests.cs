using AiGateway.Core.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace AiGateway.Core.Tests.Configuration;

public sealed class GatewayConfigStoreTests
{
    private static readonly GatewayConfigLoader Loader = new(_ => true, _ => null, new FakeTimeProvider());

    private static ConfigLoadResult Load(string model) => Loader.Load(
        $"providers:\n  - {{ name: p, type: openai, endpoint: \"http://p/v1\", models: [{model}] }}\n", "gateway.yaml");

    [Fact]
    public void Swaps_in_a_good_reload()
    {
        var store = new GatewayConfigStore(Load("a").Snapshot!);

        Assert.True(store.Apply(Load("b")));

        Assert.Equal(new[] { "b" }, store.Current.Models);
        Assert.Equal(0, store.ReloadFailures);
    }

    [Fact]
    public void Keeps_the_last_good_snapshot_when_a_reload_fails()
    {
        var store = new GatewayConfigStore(Load("a").Snapshot!);

        Assert.False(store.Apply(Loader.Load("providers: 3", "gateway.yaml")));

        Assert.Equal(new[] { "a" }, store.Current.Models);
        Assert.Equal(1, store.ReloadFailures);
    }
}
