using AiGateway.EnvoyHarness.Tests.Infrastructure;
using static AiGateway.EnvoyHarness.Tests.Infrastructure.RateLimitTestStack;

namespace AiGateway.EnvoyHarness.Tests.RateLimit;

/// <summary>Where the rate limit filter's descriptor rules come from (envoy-protocol.md §3.1).</summary>
public sealed class RateLimitSourcesTests
{
    [Fact(Timeout = 20_000)]
    public async Task Per_route_rate_limits_beat_the_filter_level_ones_and_bring_their_domain_and_hits_addend()
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync("ratelimit_precedence.yaml");

        // Act
        using var response = await stack.GetAsync("/per-route");

        // Assert
        var call = Assert.Single(stack.Calls);
        Assert.Equal("per-route-domain", call.Domain);
        Assert.Equal(["scope=per-route"], Describe(call));
        Assert.Equal(3ul, call.Descriptors[0].HitsAddend);
    }

    [Fact(Timeout = 20_000)]
    public async Task Filter_level_rate_limits_beat_the_routes_legacy_ones_and_ignore_stage()
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync("ratelimit_precedence.yaml");

        // Act
        using var response = await stack.GetAsync("/");

        // Assert
        var call = Assert.Single(stack.Calls);
        Assert.Equal("filter-domain", call.Domain);
        Assert.Equal(["scope=filter", "scope=filter-stage-1"], Describe(call));
        Assert.Contains(stack.Env.Harness.Notes, n => n.Contains("stage/disable_key on filter-level rate_limits are ignored", StringComparison.Ordinal));
    }

    [Fact(Timeout = 20_000)]
    public async Task A_per_route_domain_applies_even_when_the_rules_come_from_the_filter()
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync("ratelimit_precedence.yaml");

        // Act
        using var response = await stack.GetAsync("/domain-only");

        // Assert
        var call = Assert.Single(stack.Calls);
        Assert.Equal("other-domain", call.Domain);
        Assert.Equal(["scope=filter", "scope=filter-stage-1"], Describe(call));
    }

    [Fact(Timeout = 20_000)]
    public async Task Route_rate_limits_override_the_virtual_hosts_by_default_and_each_filter_takes_its_own_stage()
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync("ratelimit_legacy.yaml");

        // Act
        using var response = await stack.GetAsync("/route-only");

        // Assert
        Assert.Equal(
            ["legacy: scope=route", "stage-1: scope=route-stage-1"],
            stack.Calls.Select(c => $"{c.Domain}: {string.Join(" | ", Describe(c))}"));
    }

    [Fact(Timeout = 20_000)]
    public async Task A_route_without_rate_limits_uses_the_virtual_hosts()
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync("ratelimit_legacy.yaml");

        // Act
        using var response = await stack.GetAsync("/host-only");

        // Assert: only the stage 0 filter has entries (the virtual host's are stage 0).
        var call = Assert.Single(stack.Calls);
        Assert.Equal("legacy", call.Domain);
        Assert.Equal(["scope=vhost"], Describe(call));
    }

    [Theory(Timeout = 20_000)]
    [InlineData("/include")]
    [InlineData("/per-route-include")]
    public async Task Include_vh_rate_limits_or_a_per_route_INCLUDE_sends_route_then_virtual_host_descriptors(string path)
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync("ratelimit_legacy.yaml");

        // Act
        using var response = await stack.GetAsync(path);

        // Assert
        var call = Assert.Single(stack.Calls);
        Assert.Equal(["scope=route", "scope=vhost"], Describe(call));
    }

    [Fact(Timeout = 20_000)]
    public async Task A_per_route_IGNORE_drops_the_virtual_hosts_rate_limits_so_no_call_is_made()
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync("ratelimit_legacy.yaml");

        // Act
        using var response = await stack.GetAsync("/per-route-ignore");

        // Assert
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(stack.Calls);
    }

    [Fact(Timeout = 20_000)]
    public async Task A_disable_key_switched_off_in_the_runtime_removes_its_entry()
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync("ratelimit_legacy.yaml");

        // Act
        using var response = await stack.GetAsync("/disable-key");

        // Assert
        var call = Assert.Single(stack.Calls);
        Assert.Equal(["scope=enabled"], Describe(call));
    }

    [Fact(Timeout = 20_000)]
    public async Task Legacy_entries_ignore_hits_addend_but_keep_their_limit_override()
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync("ratelimit_legacy.yaml");

        // Act
        using var response = await stack.GetAsync("/legacy-addend");

        // Assert
        var descriptor = Assert.Single(Assert.Single(stack.Calls).Descriptors);
        Assert.Null(descriptor.HitsAddend);
        Assert.Equal(7u, descriptor.Limit.RequestsPerUnit);
        Assert.Equal(Envoy.Type.V3.RateLimitUnit.Hour, descriptor.Limit.Unit);
        Assert.Contains(stack.Env.Harness.Notes, n => n.Contains("hits_addend on route 'legacy-addend' is ignored", StringComparison.Ordinal));
    }

    [Fact(Timeout = 20_000)]
    public async Task Metadata_actions_read_the_route_entry_and_the_cluster_and_only_string_values_produce_entries()
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync("ratelimit_legacy.yaml");

        // Act
        using var response = await stack.GetAsync("/metadata");

        // Assert: the number under "weight" cancels the second descriptor.
        var call = Assert.Single(stack.Calls);
        Assert.Equal(["tier=gold,region=eu"], Describe(call));
    }

    [Fact(Timeout = 20_000)]
    public async Task A_virtual_hosts_per_route_rate_limits_replace_the_legacy_ones_with_their_domain()
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync("ratelimit_legacy.yaml");

        // Act
        using var response = await stack.GetAsync("/", ("host", "per-host.test"));

        // Assert
        var call = Assert.Single(stack.Calls);
        Assert.Equal("vhost-domain", call.Domain);
        Assert.Equal(["scope=vhost-per-route"], Describe(call));
    }

    [Fact(Timeout = 20_000)]
    public async Task A_routes_per_route_config_wins_over_the_virtual_hosts()
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync("ratelimit_legacy.yaml");

        // Act
        using var response = await stack.GetAsync("/route-per-route", ("host", "per-host.test"));

        // Assert: the most specific config has no domain, so the filter's domain is used.
        var call = Assert.Single(stack.Calls);
        Assert.Equal("legacy", call.Domain);
        Assert.Equal(["scope=route-per-route"], Describe(call));
    }
}
