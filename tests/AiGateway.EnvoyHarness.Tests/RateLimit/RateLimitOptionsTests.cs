using System.Net;
using AiGateway.EnvoyHarness.Tests.Infrastructure;
using Envoy.Service.ExtProc.V3;
using Envoy.Service.Ratelimit.V3;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using static AiGateway.EnvoyHarness.Tests.Infrastructure.RateLimitTestStack;
using Code = Envoy.Service.Ratelimit.V3.RateLimitResponse.Types.Code;
using RequestCase = Envoy.Service.ExtProc.V3.ProcessingRequest.RequestOneofCase;

namespace AiGateway.EnvoyHarness.Tests.RateLimit;

/// <summary>The rate limit filter's options, actions and answers (envoy-protocol.md §3.2–3.8), mostly on ratelimit_options.yaml.</summary>
public sealed class RateLimitOptionsTests
{
    private const string Fixture = "ratelimit_options.yaml";

    /// <summary>ext_proc that writes <paramref name="limit"/> under <c>ai_gateway.limit</c> on request headers.</summary>
    private static Func<ExtProcCall, Task> WritesLimit(Value limit) => call => ExtProcReplies.RespondToAllAsync(call, r =>
    {
        var reply = ExtProcReplies.ContinueFor(r);
        if (r.RequestCase == RequestCase.RequestHeaders)
        {
            reply.DynamicMetadata = new Struct { Fields = { ["ai_gateway"] = Value.ForStruct(new Struct { Fields = { ["limit"] = limit } }) } };
        }

        return reply;
    });

    private static Func<RateLimitRequest, ServerCallContext, Task<RateLimitResponse>> Answering(Func<RateLimitRequest, RateLimitResponse> answer) =>
        (request, _) => Task.FromResult(answer(request));

    [Fact(Timeout = 20_000)]
    public async Task Over_limit_answers_rate_limited_status_with_response_headers_to_add_and_without_x_envoy_ratelimited_when_disabled()
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync(Fixture, Answering(r => RateLimitServers.Answer(r, Code.OverLimit)));

        // Act
        using var response = await stack.GetAsync("/", ("x-user", "alice"));

        // Assert
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("alice", response.Headers.GetValues("x-limited-user").Single());
        Assert.False(response.Headers.Contains("x-envoy-ratelimited"));
        Assert.Empty(stack.Env.UpstreamA.Requests);
        Assert.Equal(1, stack.Stats.Get("cluster.backend-a.ratelimit.over_limit"));
    }

    [Fact(Timeout = 20_000)]
    public async Task Failure_mode_deny_percent_at_100_fails_closed_with_status_on_error_although_failure_mode_deny_is_false()
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync(Fixture, (_, _) => throw new RpcException(new Status(StatusCode.Unavailable, "down")));

        // Act
        using var response = await stack.GetAsync("/", ("x-user", "alice"));

        // Assert
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Empty(stack.Env.UpstreamA.Requests);
        Assert.Equal(1, stack.Stats.Get("cluster.backend-a.ratelimit.error"));
        Assert.Equal(0, stack.Stats.Get("cluster.backend-a.ratelimit.failure_mode_allowed"));
    }

    [Fact(Timeout = 20_000)]
    public async Task The_services_dynamic_metadata_is_stored_under_metadata_namespace()
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync(Fixture, Answering(r =>
        {
            var answer = RateLimitServers.Ok(r);
            answer.DynamicMetadata = new Struct { Fields = { ["bucket"] = Value.ForString("b1") } };
            return answer;
        }));

        // Act
        using var response = await stack.GetAsync("/", ("x-user", "alice"));

        // Assert
        var record = await stack.Env.RecordAsync();
        Assert.Equal("b1", record.Metadata("ratelimit.custom")["bucket"]);
        Assert.Empty(record.Metadata("envoy.filters.http.ratelimit"));
    }

    [Fact(Timeout = 20_000)]
    public async Task Request_type_external_skips_internal_requests_at_request_time_and_at_stream_end()
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync(Fixture);

        // Act
        using var response = await stack.GetAsync("/", ("x-envoy-internal", "true"), ("x-user", "alice"), ("x-done-test", "1"));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(stack.Calls);
    }

    [Fact(Timeout = 20_000)]
    public async Task Per_entry_x_ratelimit_option_lists_only_the_entries_that_are_on()
    {
        // Arrange: a is on, b is off, c follows the filter (OFF); a has the least remaining.
        await using var stack = await RateLimitTestStack.StartAsync(Fixture, Answering(r => RateLimitServers.Answer(r, Code.Ok, (10, 5, "a"), (20, 9, "b"), (30, 8, "c"))));

        // Act
        using var response = await stack.GetAsync("/", ("x-a", "1"), ("x-b", "1"), ("x-c", "1"));

        // Assert
        Assert.Equal(["a=1", "b=1", "c=1"], Describe(Assert.Single(stack.Calls)));
        Assert.Equal("10, 10;w=60;name=\"a\"", response.Headers.GetValues("x-ratelimit-limit").Single());
        Assert.Equal("5", response.Headers.GetValues("x-ratelimit-remaining").Single());
        Assert.Equal("30", response.Headers.GetValues("x-ratelimit-reset").Single());
    }

    [Fact(Timeout = 20_000)]
    public async Task No_x_ratelimit_headers_are_written_when_the_entry_with_the_least_remaining_is_off()
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync(Fixture, Answering(r => RateLimitServers.Answer(r, Code.Ok, (10, 9, "a"), (20, 2, "b"))));

        // Act
        using var response = await stack.GetAsync("/", ("x-a", "1"), ("x-b", "1"));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("x-ratelimit-", StringComparison.Ordinal));
    }

    [Fact(Timeout = 20_000)]
    public async Task Query_parameters_produce_the_first_percent_decoded_value()
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync(Fixture);

        // Act
        using var response = await stack.GetAsync("/v1/chat?region=eu%2Dwest&region=us");

        // Assert
        Assert.Equal(["region=eu-west"], Describe(Assert.Single(stack.Calls)));
    }

    [Fact(Timeout = 20_000)]
    public async Task Masked_remote_address_sends_the_peer_as_a_cidr_with_the_configured_prefix()
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync(Fixture);

        // Act
        using var response = await stack.GetAsync("/", ("x-masked-test", "1"));

        // Assert
        Assert.Equal(["header_match=masked,masked_remote_address=127.0.0.0/24"], Describe(Assert.Single(stack.Calls)));
    }

    [Fact(Timeout = 20_000)]
    public async Task Skip_if_absent_omits_only_that_entry_and_keeps_the_descriptor()
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync(Fixture);

        // Act
        using var without = await stack.GetAsync("/", ("x-skip-test", "1"));
        using var with = await stack.GetAsync("/?tier=t", ("x-skip-test", "1"), ("x-optional", "o"));

        // Assert
        Assert.Equal(["header_match=skip"], Describe(stack.Calls[0]));
        Assert.Equal(["header_match=skip,optional=o,tier=t"], Describe(stack.Calls[1]));
    }

    [Fact(Timeout = 20_000)]
    public async Task A_generic_key_value_is_literal_because_the_formatter_runtime_flag_is_off_by_default()
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync(Fixture);

        // Act
        using var response = await stack.GetAsync("/", ("x-literal-test", "1"), ("x-user", "alice"));

        // Assert
        Assert.Equal(["user=alice", "header_match=literal,literal=%REQ(x-user)%"], Describe(Assert.Single(stack.Calls)));
    }

    [Fact(Timeout = 20_000)]
    public async Task A_limit_override_is_read_from_a_dynamic_metadata_struct()
    {
        // Arrange
        var limit = Value.ForStruct(new Struct { Fields = { ["requests_per_unit"] = Value.ForNumber(42), ["unit"] = Value.ForString("HOUR") } });
        await using var stack = await RateLimitTestStack.StartAsync(Fixture, extProc: WritesLimit(limit));

        // Act
        using var response = await stack.GetAsync("/", ("x-override-test", "1"));

        // Assert
        var descriptor = Assert.Single(Assert.Single(stack.Calls).Descriptors);
        Assert.Equal(42u, descriptor.Limit.RequestsPerUnit);
        Assert.Equal(Envoy.Type.V3.RateLimitUnit.Hour, descriptor.Limit.Unit);
    }

    [Fact(Timeout = 20_000)]
    public async Task A_limit_override_whose_unit_is_not_a_RateLimitUnit_name_is_left_out_but_the_descriptor_is_sent()
    {
        // Arrange
        var limit = Value.ForStruct(new Struct { Fields = { ["requests_per_unit"] = Value.ForNumber(42), ["unit"] = Value.ForString("hour") } });
        await using var stack = await RateLimitTestStack.StartAsync(Fixture, extProc: WritesLimit(limit));

        // Act
        using var response = await stack.GetAsync("/", ("x-override-test", "1"));

        // Assert
        var descriptor = Assert.Single(Assert.Single(stack.Calls).Descriptors);
        Assert.Equal("header_match=override", string.Join(',', descriptor.Entries.Select(e => e.Key + "=" + e.Value)));
        Assert.Null(descriptor.Limit);
    }

    [Theory(Timeout = 20_000)]
    [InlineData("7", 7u)]
    [InlineData("abc", 0u)]
    public async Task The_request_level_addend_comes_from_filter_state_and_is_zero_when_it_does_not_parse(string header, uint expected)
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync(Fixture);

        // Act
        using var response = await stack.GetAsync("/", ("x-hits", header), ("x-user", "alice"));

        // Assert
        Assert.Equal(expected, Assert.Single(stack.Calls).HitsAddend);
    }

    [Fact(Timeout = 20_000)]
    public async Task A_timeout_of_0s_waits_for_a_slow_service()
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync(Fixture, async (request, context) =>
        {
            await Task.Delay(300, context.CancellationToken);
            return RateLimitServers.Ok(request);
        });

        // Act
        using var response = await stack.GetAsync("/", ("x-user", "alice"));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, stack.Stats.Get("cluster.backend-a.ratelimit.ok"));
        Assert.Equal(0, stack.Stats.Get("cluster.backend-a.ratelimit.error"));
    }

    [Fact(Timeout = 20_000)]
    public async Task Without_a_timeout_the_filter_waits_20ms_then_fails_open()
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync("ratelimit_default_timeout.yaml", async (request, context) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(2), context.CancellationToken);
            return RateLimitServers.Ok(request);
        });

        // Act
        using var response = await stack.GetAsync("/");

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, stack.Stats.Get("cluster.backend-a.ratelimit.error"));
        Assert.Equal(1, stack.Stats.Get("cluster.backend-a.ratelimit.failure_mode_allowed"));
    }

    [Fact(Timeout = 20_000)]
    public async Task Filter_enforced_at_0_percent_lets_an_over_limit_request_through_with_the_rate_limit_headers()
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync("ratelimit_unenforced.yaml", Answering(r => RateLimitServers.Answer(r, Code.OverLimit, (5, 0, "any"))));

        // Act
        using var response = await stack.GetAsync("/");

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(stack.Env.UpstreamA.Requests);
        Assert.Equal("true", response.Headers.GetValues("x-envoy-ratelimited").Single());
        Assert.Equal("0", response.Headers.GetValues("x-ratelimit-remaining").Single());
        Assert.Equal(1, stack.Stats.Get("cluster.backend-a.ratelimit.over_limit"));
    }

    [Fact(Timeout = 20_000)]
    public async Task Filter_enabled_at_0_percent_through_its_runtime_key_makes_no_call_at_request_time_or_stream_end()
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync("ratelimit_unenforced.yaml");

        // Act
        using var response = await stack.GetAsync("/");

        // Assert
        Assert.Equal(["unenforced"], stack.Calls.Select(c => c.Domain));
    }
}
