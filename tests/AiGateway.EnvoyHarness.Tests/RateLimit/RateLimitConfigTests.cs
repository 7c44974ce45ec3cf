using AiGateway.EnvoyHarness.Tests.Infrastructure;

namespace AiGateway.EnvoyHarness.Tests.RateLimit;

/// <summary>Rate limit configuration the harness cannot run is rejected when it starts, naming the YAML path.</summary>
public sealed class RateLimitConfigTests
{
    [Theory(Timeout = 10_000)]
    [InlineData("fractional_filter_enabled.yaml", ".http_filters[0].filter_enabled: fractional percentages other than 0 % and 100 % are not supported")]
    [InlineData("cluster_locality_metadata.yaml", ".rate_limits[0].actions[0]: metadata source 'CLUSTER_LOCALITY_ENTRY' is not supported")]
    [InlineData("source_cluster_action.yaml", ".rate_limits[0].actions[0]: rate limit action 'source_cluster' is not supported")]
    public async Task Rejects_rate_limit_config_the_harness_cannot_run(string fixture, string message)
    {
        // Arrange
        var options = new EnvoyHarnessOptions { EnvoyYamlPath = HarnessTestEnvironment.FixturePath(Path.Combine("ratelimit_invalid", fixture)) };

        // Act
        var error = await Assert.ThrowsAsync<NotSupportedException>(() => EnvoyHarness.StartAsync(options));

        // Assert
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 10_000)]
    public async Task Notes_per_route_configs_of_filters_that_do_not_read_them()
    {
        // Arrange
        var options = new EnvoyHarnessOptions { EnvoyYamlPath = HarnessTestEnvironment.FixturePath("ratelimit_per_route_other_filter.yaml") };

        // Act
        await using var harness = await EnvoyHarness.StartAsync(options);

        // Assert
        Assert.Contains(harness.Notes, n => n.Contains("per-route config for 'envoy.filters.http.ext_proc' ignored", StringComparison.Ordinal));
    }
}
