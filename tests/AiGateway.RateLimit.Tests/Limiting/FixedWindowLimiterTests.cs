using AiGateway.RateLimit.Configuration;
using AiGateway.RateLimit.Limiting;
using AiGateway.RateLimit.Storage;
using AiGateway.RateLimit.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static AiGateway.RateLimit.Tests.Support.Limits;

namespace AiGateway.RateLimit.Tests.Limiting;

public sealed class FixedWindowLimiterTests : IDisposable
{
    // 1700000010 = Thursday 2023-11-09 + 30 s into a minute window that started at 1699999980.
    private const long Now = 1_700_000_010;

    private const string Yaml = """
        domain: gateway
        descriptors:
          - key: user
            rate_limit: { unit: minute, requests_per_unit: 3 }
          - key: team
            rate_limit: { unit: hour, requests_per_unit: 100 }
          - key: admin
            rate_limit: { unlimited: true }
          - key: canary
            shadow_mode: true
            rate_limit: { unit: minute, requests_per_unit: 1 }
          - key: blocked
            rate_limit: { unit: second, requests_per_unit: 0 }
          - key: key_id
            rate_limit: { name: per-key, unit: minute, requests_per_unit: 1 }
          - key: key_id
            value: premium
            rate_limit: { name: premium, unit: minute, requests_per_unit: 5, replaces: [ { name: per-key } ] }
          - key: quota_a
            quota_mode: true
            rate_limit: { unit: minute, requests_per_unit: 1 }
          - key: quota_b
            quota_mode: true
            rate_limit: { unit: minute, requests_per_unit: 1 }
          - key: tenant
            value: t*-prod
            share_threshold: true
            rate_limit: { unit: minute, requests_per_unit: 2 }
          - key: period
            rate_limit: { unit: week, requests_per_unit: 10 }
          - key: tokens
            rate_limit: { unit: minute, requests_per_unit: 1000 }
        """;

    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(Now));
    private readonly MetricRecorder _metrics = new();
    private readonly RecordingStore _store;

    public FixedWindowLimiterTests()
    {
        _store = new RecordingStore(new InMemoryRateLimitStore(_time));
    }

    public void Dispose() => _metrics.Dispose();

    private FixedWindowLimiter Limiter(RateLimiterOptions? options = null, RateLimitConfig? config = null) =>
        new(new RateLimitConfigStore(config ?? Config(Yaml)), _store, _time, options ?? new RateLimiterOptions { ExpirationJitterMaxSeconds = 0 }, _metrics.Metrics);

    private static async Task<LimitDecision> Call(FixedWindowLimiter limiter, params RequestDescriptor[] descriptors) =>
        await limiter.ShouldRateLimitAsync(Request("gateway", descriptors), CancellationToken.None);

    [Fact]
    public async Task Admits_exactly_the_limit_then_answers_over_limit()
    {
        var limiter = Limiter();

        var remaining = new List<uint>();
        for (var i = 0; i < 3; i++)
        {
            var ok = await Call(limiter, Descriptor(("user", "alice")));
            Assert.Equal(LimitCode.Ok, ok.Code);
            remaining.Add(ok.Statuses[0].Remaining);
        }

        var over = await Call(limiter, Descriptor(("user", "alice")));

        Assert.Equal([2u, 1u, 0u], remaining);
        Assert.Equal(LimitCode.OverLimit, over.Code);
        Assert.Equal(new DescriptorDecision(LimitCode.OverLimit, over.Statuses[0].Limit, 0, 30), over.Statuses[0]);
        Assert.Equal(LimitCode.Ok, (await Call(limiter, Descriptor(("user", "bob")))).Code);
    }

    [Fact]
    public async Task Answers_statuses_index_aligned_with_limit_remaining_and_reset()
    {
        var limiter = Limiter();

        var decision = await Call(limiter, Descriptor(("nothing", "here")), Descriptor(("team", "research")), Descriptor(("admin", "root")), Descriptor(("user", "alice")));

        Assert.Equal(4, decision.Statuses.Length);
        Assert.Equal(DescriptorDecision.NoLimit, decision.Statuses[0]);
        Assert.Equal((LimitCode.Ok, 100u, RateLimitUnit.Hour, 99u, 3600 - (Now % 3600)), (decision.Statuses[1].Code, decision.Statuses[1].Limit!.RequestsPerUnit, decision.Statuses[1].Limit!.Unit, decision.Statuses[1].Remaining, decision.Statuses[1].ResetSeconds));
        Assert.Equal(DescriptorDecision.Unlimited, decision.Statuses[2]);
        Assert.Equal(2u, decision.Statuses[3].Remaining);
        Assert.Equal(2, _store.Operations.Count());
    }

    [Fact]
    public async Task Counts_in_epoch_aligned_windows_under_the_reference_key_format()
    {
        var limiter = Limiter(new RateLimiterOptions { CacheKeyPrefix = "rl:", ExpirationJitterMaxSeconds = 0 });

        await Call(limiter, Descriptor(("user", "alice")), Descriptor(("period", "p")));

        Assert.Equal(
            [new CounterOperation("rl:gateway_user_alice_1699999980", 1, 60, false), new CounterOperation("rl:gateway_period_p_1699488000", 1, 604800, false)],
            _store.Operations);
        Assert.Equal(DayOfWeek.Thursday, DateTimeOffset.FromUnixTimeSeconds(1_699_488_000).DayOfWeek);
    }

    [Fact]
    public async Task Starts_a_new_window_when_the_old_one_ends()
    {
        var limiter = Limiter();
        for (var i = 0; i < 4; i++)
        {
            await Call(limiter, Descriptor(("user", "alice")));
        }

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(LimitCode.OverLimit, (await Call(limiter, Descriptor(("user", "alice")))).Code);
        _time.Advance(TimeSpan.FromSeconds(1));
        var next = await Call(limiter, Descriptor(("user", "alice")));

        Assert.Equal((LimitCode.Ok, 2u, 60L), (next.Code, next.Statuses[0].Remaining, next.Statuses[0].ResetSeconds));
    }

    [Fact]
    public async Task Adds_jitter_to_the_counters_time_to_live()
    {
        var limiter = new FixedWindowLimiter(new RateLimitConfigStore(Config(Yaml)), _store, _time, new RateLimiterOptions { ExpirationJitterMaxSeconds = 300 }, _metrics.Metrics, new Random(7));

        for (var i = 0; i < 20; i++)
        {
            await Call(limiter, Descriptor(("team", "t" + i)));
        }

        Assert.All(_store.Operations, op => Assert.InRange(op.ExpireSeconds, 3600, 3899));
        Assert.True(_store.Operations.Select(op => op.ExpireSeconds).Distinct().Count() > 1);
    }

    [Fact]
    public async Task Checks_without_counting_when_the_descriptor_addend_is_zero()
    {
        var limiter = Limiter();
        for (var i = 0; i < 3; i++)
        {
            await Call(limiter, Descriptor(("user", "alice")));
        }

        var atLimit = await Call(limiter, Descriptor(0, false, ("user", "alice")));
        await Call(limiter, Descriptor(1, false, ("user", "alice")));
        var aboveLimit = await Call(limiter, Descriptor(0, false, ("user", "alice")));

        Assert.Equal((LimitCode.Ok, 0u), (atLimit.Code, atLimit.Statuses[0].Remaining));
        Assert.Equal(LimitCode.OverLimit, aboveLimit.Code);
        Assert.Equal(0, _store.Operations.ElementAt(3).Hits);
    }

    [Fact]
    public async Task Uses_the_descriptor_addend_over_the_request_addend_and_treats_request_zero_as_one()
    {
        var limiter = Limiter();

        await limiter.ShouldRateLimitAsync(new LimitRequest("gateway", [Descriptor(("tokens", "a")), Descriptor(250, false, ("tokens", "b"))], HitsAddend: 40), default);
        await limiter.ShouldRateLimitAsync(new LimitRequest("gateway", [Descriptor(("tokens", "c"))], HitsAddend: 0), default);

        Assert.Equal([40L, 250L, 1L], _store.Operations.Select(o => o.Hits));
    }

    [Fact]
    public async Task Refunds_negative_hits_without_going_below_zero()
    {
        var limiter = Limiter();
        await Call(limiter, Descriptor(900, false, ("tokens", "alice")));
        var over = await Call(limiter, Descriptor(200, false, ("tokens", "alice")));

        var refund = await Call(limiter, Descriptor(300, true, ("tokens", "alice")));
        var floor = await Call(limiter, Descriptor(5000, true, ("tokens", "alice")));
        var missing = await Call(limiter, Descriptor(10, true, ("tokens", "nobody")));
        var after = await Call(limiter, Descriptor(1000, false, ("tokens", "alice")));

        Assert.Equal(LimitCode.OverLimit, over.Code);
        Assert.Equal((LimitCode.Ok, 200u), (refund.Code, refund.Statuses[0].Remaining));
        Assert.Equal((LimitCode.Ok, 1000u), (floor.Code, floor.Statuses[0].Remaining));
        Assert.Equal((LimitCode.Ok, 1000u), (missing.Code, missing.Statuses[0].Remaining));
        Assert.Equal((LimitCode.Ok, 0u), (after.Code, after.Statuses[0].Remaining));
        Assert.Equal(0, _metrics.Sum("total_hits", "gateway.tokens") - 2100);
    }

    [Fact]
    public async Task Uses_the_requests_own_limit_instead_of_the_config()
    {
        var limiter = Limiter();
        var descriptor = new RequestDescriptor([new("user", "alice")], new LimitOverride(1, RateLimitUnit.Second));

        var first = await Call(limiter, descriptor);
        var second = await Call(limiter, descriptor);

        Assert.Equal((LimitCode.Ok, 1u, RateLimitUnit.Second), (first.Code, first.Statuses[0].Limit!.RequestsPerUnit, first.Statuses[0].Limit!.Unit));
        Assert.Equal(LimitCode.OverLimit, second.Code);
        Assert.Equal("gateway_user_alice_1700000010", _store.Operations.First().Key);
        Assert.True(_store.Operations.First().PerSecond);
    }

    [Fact]
    public async Task Lets_shadow_mode_rules_pass_but_counts_them()
    {
        var limiter = Limiter();
        await Call(limiter, Descriptor(("canary", "x")));

        var decision = await Call(limiter, Descriptor(("canary", "x")));

        Assert.Equal(LimitCode.Ok, decision.Code);
        Assert.Equal((LimitCode.Ok, 0u), (decision.Statuses[0].Code, decision.Statuses[0].Remaining));
        Assert.Equal(1, _metrics.Sum("shadow_mode", "gateway.canary"));
        Assert.Equal(1, _metrics.Sum("over_limit", "gateway.canary"));
    }

    [Fact]
    public async Task Answers_ok_in_global_shadow_mode_with_the_statuses_still_over()
    {
        var limiter = Limiter(new RateLimiterOptions { GlobalShadowMode = true, ExpirationJitterMaxSeconds = 0 });

        var decision = await Call(limiter, Descriptor(("blocked", "x")));

        Assert.Equal(LimitCode.Ok, decision.Code);
        Assert.Equal(LimitCode.OverLimit, decision.Statuses[0].Code);
        Assert.Equal(1, _metrics.Sum("ratelimit.service.global_shadow_mode"));
    }

    [Fact]
    public async Task Always_answers_over_limit_for_a_zero_limit()
    {
        var decision = await Call(Limiter(), Descriptor(("blocked", "x")));

        Assert.Equal(LimitCode.OverLimit, decision.Code);
    }

    [Fact]
    public async Task Skips_a_named_limit_that_another_matching_limit_replaces()
    {
        var limiter = Limiter();

        for (var i = 0; i < 3; i++)
        {
            var decision = await Call(limiter, Descriptor(("key_id", "premium")), Descriptor(("key_id", "k1")));
            Assert.Equal(LimitCode.Ok, decision.Code);
            Assert.Equal(DescriptorDecision.NoLimit, decision.Statuses[1]);
        }

        Assert.Equal(LimitCode.OverLimit, (await Call(limiter, Descriptor(("key_id", "k1")), Descriptor(("key_id", "k1")))).Code);
    }

    [Fact]
    public async Task Answers_over_limit_in_quota_mode_only_when_every_quota_descriptor_is_over()
    {
        var limiter = Limiter();
        await Call(limiter, Descriptor(("quota_a", "x")));

        var oneOver = await Call(limiter, Descriptor(("quota_a", "x")), Descriptor(("quota_b", "x")));
        var bothOver = await Call(limiter, Descriptor(("quota_a", "x")), Descriptor(("quota_b", "x")));

        Assert.Equal(LimitCode.Ok, oneOver.Code);
        Assert.Equal(LimitCode.OverLimit, oneOver.Statuses[0].Code);
        Assert.Equal(LimitCode.OverLimit, bothOver.Code);
    }

    [Fact]
    public async Task Shares_one_counter_between_values_of_a_share_threshold_wildcard()
    {
        var limiter = Limiter();

        await Call(limiter, Descriptor(("tenant", "t1-prod")));
        await Call(limiter, Descriptor(("tenant", "t2-prod")));
        var third = await Call(limiter, Descriptor(("tenant", "t3-prod")));

        Assert.Equal(LimitCode.OverLimit, third.Code);
        Assert.All(_store.Operations, op => Assert.Equal("gateway_tenant_t*-prod_1699999980", op.Key));
    }

    [Fact]
    public async Task Answers_ok_without_limits_for_an_unknown_domain()
    {
        var decision = await Limiter().ShouldRateLimitAsync(Request("elsewhere", Descriptor(("user", "alice"))), default);

        Assert.Equal(LimitCode.Ok, decision.Code);
        Assert.Equal(DescriptorDecision.NoLimit, Assert.Single(decision.Statuses));
        Assert.Empty(_store.Calls);
        Assert.Equal(1, _metrics.Sum("domain_not_found", "elsewhere"));
    }

    [Theory]
    [InlineData("", true, true, "rate limit domain must not be empty")]
    [InlineData("gateway", false, true, "rate limit descriptor list must not be empty")]
    [InlineData("gateway", true, false, "no rate limit configuration loaded")]
    public async Task Rejects_calls_it_cannot_decide_with_the_reference_message(string domain, bool withDescriptor, bool withConfig, string message)
    {
        var limiter = new FixedWindowLimiter(new RateLimitConfigStore(withConfig ? Config(Yaml) : null), _store, _time, new RateLimiterOptions(), _metrics.Metrics);
        RequestDescriptor[] descriptors = withDescriptor ? [Descriptor(("user", "a"))] : [];

        var error = await Assert.ThrowsAsync<RateLimitRequestException>(async () => await limiter.ShouldRateLimitAsync(Request(domain, descriptors), default));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task Answers_keys_known_to_be_over_from_the_local_cache_without_the_store()
    {
        var limiter = Limiter(new RateLimiterOptions { LocalCacheSizeInBytes = 1 << 20, ExpirationJitterMaxSeconds = 0 });
        for (var i = 0; i < 4; i++)
        {
            await Call(limiter, Descriptor(("user", "alice")));
        }

        var cached = await Call(limiter, Descriptor(0, false, ("user", "alice")));
        await Call(limiter, Descriptor(("user", "alice")));
        _time.Advance(TimeSpan.FromSeconds(30));
        var nextWindow = await Call(limiter, Descriptor(("user", "alice")));

        Assert.Equal(LimitCode.OverLimit, cached.Code);
        Assert.Equal(5, _store.Calls.Count);
        Assert.Equal(LimitCode.OverLimit, cached.Statuses[0].Code);
        Assert.Equal(1, _metrics.Sum("over_limit_with_local_cache", "gateway.user"));
        Assert.Equal(LimitCode.Ok, nextWindow.Code);
    }

    [Fact]
    public async Task Counts_hits_within_near_and_over_the_limit_like_the_reference()
    {
        var config = Config("domain: gateway\ndescriptors:\n  - key: k\n    rate_limit: { unit: minute, requests_per_unit: 10 }\n");
        var limiter = Limiter(config: config);

        await Call(limiter, Descriptor(7, false, ("k", "v")));
        await Call(limiter, Descriptor(2, false, ("k", "v")));
        await Call(limiter, Descriptor(4, false, ("k", "v")));

        Assert.Equal(13, _metrics.Sum("total_hits", "gateway.k"));
        Assert.Equal(9, _metrics.Sum("within_limit", "gateway.k"));
        Assert.Equal(1 + 1, _metrics.Sum("near_limit", "gateway.k"));
        Assert.Equal(3, _metrics.Sum("over_limit", "gateway.k"));
    }

    [Fact]
    public async Task Uses_the_near_limit_ratio_it_is_given()
    {
        var config = Config("domain: gateway\ndescriptors:\n  - key: k\n    rate_limit: { unit: minute, requests_per_unit: 10 }\n");
        var limiter = Limiter(new RateLimiterOptions { NearLimitRatio = 0.5, ExpirationJitterMaxSeconds = 0 }, config);

        await Call(limiter, Descriptor(7, false, ("k", "v")));

        Assert.Equal(2, _metrics.Sum("near_limit", "gateway.k"));
    }

    [Fact]
    public async Task Counts_every_descriptor_of_an_over_limit_call_by_default()
    {
        var limiter = Limiter();

        for (var i = 0; i < 4; i++)
        {
            await Call(limiter, Descriptor(("user", "alice")), Descriptor(("team", "research")));
        }

        var team = await Call(limiter, Descriptor(0, false, ("team", "research")));

        Assert.Equal(96u, team.Statuses[0].Remaining);
    }

    [Fact]
    public async Task Stops_counting_the_other_descriptors_of_a_call_that_would_go_over_when_asked_to()
    {
        var limiter = Limiter(new RateLimiterOptions { StopCacheKeyIncrementWhenOverLimit = true, ExpirationJitterMaxSeconds = 0 });

        var admitted = new List<LimitDecision>();
        for (var i = 0; i < 3; i++)
        {
            admitted.Add(await Call(limiter, Descriptor(("user", "alice")), Descriptor(("team", "research"))));
        }

        var over = await Call(limiter, Descriptor(("user", "alice")), Descriptor(("team", "research")));
        var team = await Call(limiter, Descriptor(0, false, ("team", "research")));

        Assert.All(admitted, d => Assert.Equal(LimitCode.Ok, d.Code));
        Assert.Equal(LimitCode.OverLimit, over.Code);
        Assert.Equal(LimitCode.OverLimit, over.Statuses[0].Code);
        Assert.Equal((LimitCode.Ok, 97u), (over.Statuses[1].Code, over.Statuses[1].Remaining));
        Assert.Equal(97u, team.Statuses[0].Remaining);
    }

    [Fact]
    public async Task Stops_counting_the_other_descriptors_when_one_is_over_in_the_local_cache()
    {
        var limiter = Limiter(new RateLimiterOptions { StopCacheKeyIncrementWhenOverLimit = true, LocalCacheSizeInBytes = 1 << 20, ExpirationJitterMaxSeconds = 0 });
        for (var i = 0; i < 4; i++)
        {
            await Call(limiter, Descriptor(("user", "alice")));
        }

        var readsBefore = _store.Operations.Count(o => o.ReadOnly);
        var over = await Call(limiter, Descriptor(("user", "alice")), Descriptor(("team", "research")));
        var readsAfter = _store.Operations.Count(o => o.ReadOnly);
        var team = await Call(limiter, Descriptor(0, false, ("team", "research")));

        Assert.Equal(LimitCode.OverLimit, over.Code);
        Assert.Equal(100u, team.Statuses[0].Remaining);
        Assert.Equal(readsBefore, readsAfter);
    }
}
