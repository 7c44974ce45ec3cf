using AiGateway.MockProvider.Faults;

namespace AiGateway.MockProvider.Tests.Faults;

public sealed class FaultRegistryTests
{
    [Fact]
    public void A_rule_with_times_applies_that_many_times_then_disappears()
    {
        // Arrange
        var registry = new FaultRegistry();
        registry.Add(FaultRule.Status(503, times: 2));

        // Act
        var first = registry.TryConsume("/v1/chat/completions", "m");
        var second = registry.TryConsume("/v1/chat/completions", "m");
        var third = registry.TryConsume("/v1/chat/completions", "m");

        // Assert
        Assert.Equal(503, first?.StatusCode);
        Assert.Equal(503, second?.StatusCode);
        Assert.Null(third);
        Assert.Empty(registry.Snapshot());
    }

    [Fact]
    public void A_rule_without_times_applies_always()
    {
        // Arrange
        var registry = new FaultRegistry();
        registry.Add(FaultRule.Status(500));

        // Act
        var results = Enumerable.Range(0, 5).Select(_ => registry.TryConsume("/v1/models", null)).ToList();

        // Assert
        Assert.All(results, r => Assert.Equal(500, r?.StatusCode));
    }

    [Fact]
    public void Rules_match_by_ordinal_path_prefix()
    {
        // Arrange
        var registry = new FaultRegistry();
        registry.Add(FaultRule.Status(500, "/compat/v1"));

        // Act
        var other = registry.TryConsume("/v1/chat/completions", null);
        var matched = registry.TryConsume("/compat/v1/chat/completions", null);

        // Assert
        Assert.Null(other);
        Assert.NotNull(matched);
    }

    [Fact]
    public void Rules_with_a_model_match_only_that_model()
    {
        // Arrange
        var registry = new FaultRegistry();
        registry.Add(new FaultRule { Model = "gpt-4o", StatusCode = 429 });

        // Act
        var otherModel = registry.TryConsume("/v1/chat/completions", "gpt-4o-mini");
        var noModel = registry.TryConsume("/v1/models", null);
        var sameModel = registry.TryConsume("/v1/chat/completions", "gpt-4o");

        // Assert
        Assert.Null(otherModel);
        Assert.Null(noModel);
        Assert.NotNull(sameModel);
    }

    [Fact]
    public void The_first_matching_rule_in_insertion_order_wins_and_later_rules_take_over_when_it_is_spent()
    {
        // Arrange
        var registry = new FaultRegistry();
        registry.Add(FaultRule.Status(429, times: 1));
        registry.Add(FaultRule.Status(503));

        // Act
        var first = registry.TryConsume("/v1/x", null);
        var second = registry.TryConsume("/v1/x", null);

        // Assert
        Assert.Equal(429, first?.StatusCode);
        Assert.Equal(503, second?.StatusCode);
    }

    [Fact]
    public void Concurrent_consumers_never_use_a_limited_rule_more_than_its_times()
    {
        // Arrange
        var registry = new FaultRegistry();
        registry.Add(FaultRule.Status(500, times: 100));

        // Act
        var hits = 0;
        Parallel.For(0, 1000, _ =>
        {
            if (registry.TryConsume("/v1/x", null) is not null)
            {
                Interlocked.Increment(ref hits);
            }
        });

        // Assert
        Assert.Equal(100, hits);
    }

    [Fact]
    public void Clear_removes_every_rule()
    {
        // Arrange
        var registry = new FaultRegistry();
        registry.Add(FaultRule.Status(500));

        // Act
        registry.Clear();

        // Assert
        Assert.Null(registry.TryConsume("/v1/x", null));
    }
}
