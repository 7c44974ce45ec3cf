using AiGateway.RateLimit.Configuration;
using AiGateway.RateLimit.Limiting;
using AiGateway.TestKit;

namespace AiGateway.RateLimit.Tests.Configuration;

public sealed class RateLimitConfigTests
{
    private static readonly RateLimitConfig Config = Load();

    private static RateLimitConfig Load()
    {
        var result = new RateLimitConfigLoader().LoadPath(FixtureFiles.Path("Config", "Valid", "every_key"));
        Assert.True(result.Succeeded, string.Join('\n', result.Errors));
        return result.Config;
    }

    private static MatchedLimit? Find(params (string Key, string Value)[] entries) =>
        Config.Find("gateway", new RequestDescriptor(entries.Select(e => new DescriptorEntry(e.Key, e.Value)).ToArray()));

    [Fact]
    public void Prefers_an_exact_value_over_the_key_only_default()
    {
        Assert.Equal(10u, Find(("team", "research"), ("user", "alice"))!.Rule.RequestsPerUnit);
        Assert.Equal(5u, Find(("team", "research"), ("user", "bob"))!.Rule.RequestsPerUnit);
        Assert.Equal("gateway.team_research.user", Find(("team", "research"), ("user", "bob"))!.StatsKey);
    }

    [Fact]
    public void Applies_a_limit_only_when_the_last_entry_lands_on_it()
    {
        Assert.Null(Find(("team", "research")));
        Assert.Null(Find(("team", "research"), ("user", "bob"), ("extra", "x")));
        Assert.Equal(20u, Find(("team", "other"))!.Rule.RequestsPerUnit);
        Assert.Null(Find(("team", "other"), ("user", "bob")));
    }

    [Fact]
    public void Returns_nothing_for_an_unknown_domain_key_or_empty_descriptor()
    {
        Assert.Null(Config.Find("nope", new RequestDescriptor([new("team", "x")])));
        Assert.Null(Find(("unknown", "x")));
        Assert.Null(Find());
    }

    [Theory]
    [InlineData("model", "gpt-4o", 100u)]
    [InlineData("model", "gpt-4o-mini", 100u)]
    [InlineData("path", "/v1/chat/completions", 1000u)]
    [InlineData("tenant", "t1-prod-eu", 7u)]
    [InlineData("region", "eu-west", 30u)]
    public void Matches_wildcards_anywhere_in_the_value(string key, string value, uint limit)
    {
        Assert.Equal(limit, Find((key, value))!.Rule.RequestsPerUnit);
    }

    [Theory]
    [InlineData("model", "gpt-3.5")]
    [InlineData("path", "/v1/embeddings")]
    [InlineData("tenant", "t1-staging-eu")]
    public void Does_not_match_values_outside_the_pattern(string key, string value)
    {
        Assert.Null(Find((key, value)));
    }

    [Fact]
    public void Shares_one_counter_for_share_threshold_wildcards()
    {
        var match = Find(("tenant", "t9-prod-us"))!;

        Assert.Equal("t*-prod-*", Assert.Single(match.SharedValues!));
        Assert.Null(Find(("model", "gpt-4o"))!.SharedValues);
    }

    [Fact]
    public void Puts_request_values_into_detailed_and_value_to_metric_stats_keys()
    {
        Assert.Equal("gateway.region_eu-north", Find(("region", "eu-north"))!.StatsKey);
        Assert.Equal("gateway.model_gpt-4o*", Find(("model", "gpt-4o-mini"))!.StatsKey);
        Assert.Equal("gateway.route_/chat.method", Find(("route", "/chat"), ("method", "POST"))!.StatsKey);
    }

    [Fact]
    public void Reads_names_replaces_units_and_modes()
    {
        var premium = Find(("key_id", "premium"))!.Rule;
        Assert.Equal("premium", premium.Name);
        Assert.Equal(["per-key"], premium.Replaces);
        Assert.Equal("per-key", Find(("key_id", "k1"))!.Rule.Name);
        Assert.True(Find(("team", "admins"))!.Rule.Unlimited);
        Assert.True(Find(("canary", "x"))!.Rule.ShadowMode);
        var tokens = Find(("tokens", "alice"))!.Rule;
        Assert.True(tokens.QuotaMode);
        Assert.Equal("token-quota", tokens.Metadata!["kind"]);
        Assert.Equal(0u, Find(("blocked", "x"))!.Rule.RequestsPerUnit);
        Assert.Equal(RateLimitUnit.Week, Find(("tenant", "t1-prod-eu"))!.Rule.Unit);
        Assert.Equal(RateLimitUnit.Year, Find(("plan", "annual"))!.Rule.Unit);
        Assert.Equal(RateLimitUnit.Second, Find(("team", "research"), ("user", "alice"))!.Rule.Unit);
    }

    [Fact]
    public void Uses_a_requests_own_limit_instead_of_the_tree()
    {
        var descriptor = new RequestDescriptor([new("team", "research"), new("user", "zed")], new LimitOverride(42, RateLimitUnit.Hour));

        var match = Config.Find("gateway", descriptor)!;

        Assert.Equal(42u, match.Rule.RequestsPerUnit);
        Assert.Equal(RateLimitUnit.Hour, match.Rule.Unit);
        Assert.Equal("gateway.team_research.user_zed", match.StatsKey);
        Assert.False(match.Rule.ShadowMode);
    }
}
