using System.Net;
using AiGateway.EnvoyHarness.Tests.Infrastructure;
using Envoy.Service.ExtProc.V3;
using Envoy.Service.Ratelimit.V3;
using Envoy.Type.V3;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using static AiGateway.EnvoyHarness.Tests.Infrastructure.RateLimitTestStack;
using Code = Envoy.Service.Ratelimit.V3.RateLimitResponse.Types.Code;
using RequestCase = Envoy.Service.ExtProc.V3.ProcessingRequest.RequestOneofCase;

namespace AiGateway.EnvoyHarness.Tests.RateLimit;

/// <summary>When the <c>apply_on_stream_done</c> call happens (envoy-protocol.md §3.5).</summary>
public sealed class RateLimitStreamDoneTests
{
    /// <summary>ext_proc that writes 12 tokens (as <c>tokens</c> and <c>total_tokens</c>) on request headers.</summary>
    private static Task Charging(ExtProcCall call) => ExtProcReplies.RespondToAllAsync(call, r =>
    {
        var reply = ExtProcReplies.ContinueFor(r);
        if (r.RequestCase == RequestCase.RequestHeaders)
        {
            var fields = new Struct { Fields = { ["tokens"] = Value.ForNumber(12), ["total_tokens"] = Value.ForNumber(12) } };
            reply.DynamicMetadata = new Struct { Fields = { ["ai_gateway"] = Value.ForStruct(fields) } };
        }

        return reply;
    });

    /// <summary>The service answers the first call with <paramref name="first"/> and every later one OK.</summary>
    private static Func<RateLimitRequest, ServerCallContext, Task<RateLimitResponse>> FirstCall(Func<RateLimitRequest, RateLimitResponse> first)
    {
        var calls = 0;
        return (request, _) => Task.FromResult(Interlocked.Increment(ref calls) == 1 ? first(request) : RateLimitServers.Ok(request));
    }

    [Fact(Timeout = 20_000)]
    public async Task The_stream_done_call_follows_an_enforced_over_limit_reply()
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync("ratelimit_options.yaml", FirstCall(r => RateLimitServers.Answer(r, Code.OverLimit)), Charging);

        // Act
        using var response = await stack.GetAsync("/", ("x-user", "alice"), ("x-done-test", "1"));

        // Assert
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal([["user=alice"], ["header_match=charge,counter=good"]], stack.Calls.Select(Describe));
    }

    [Theory(Timeout = 20_000)]
    [InlineData("ratelimit.yaml", "x-user", HttpStatusCode.OK)]
    [InlineData("ratelimit_options.yaml", "x-done-test", HttpStatusCode.BadGateway)]
    public async Task The_stream_done_call_follows_a_service_error_whether_the_filter_fails_open_or_closed(string fixture, string header, HttpStatusCode expected)
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync(fixture, FirstCall(_ => throw new RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.Unavailable, "down"))), Charging);

        // Act
        using var response = await stack.GetAsync("/", ("x-user", "alice"), (header, "1"));

        // Assert
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(2, stack.Calls.Count);
        Assert.All(stack.Calls[1].Descriptors, d => Assert.Equal(12ul, d.HitsAddend));
    }

    [Fact(Timeout = 20_000)]
    public async Task The_stream_done_call_is_made_when_there_were_no_request_time_descriptors()
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync("ratelimit_options.yaml", extProc: Charging);

        // Act
        using var response = await stack.GetAsync("/", ("x-done-test", "1"));

        // Assert
        var call = Assert.Single(stack.Calls);
        Assert.Equal(["header_match=charge,counter=good"], Describe(call));
        Assert.Equal(1, stack.Stats.Get("cluster.backend-a.ratelimit.stream_done_calls"));
    }

    [Fact(Timeout = 20_000)]
    public async Task A_stream_done_descriptor_whose_addend_format_yields_nothing_is_left_out_and_the_others_are_sent()
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync("ratelimit_options.yaml", extProc: Charging);

        // Act
        using var response = await stack.GetAsync("/", ("x-user", "alice"), ("x-done-test", "1"));

        // Assert: "counter=bad" reads ai_gateway.missing.
        var streamDone = stack.Calls[1];
        Assert.Equal(["header_match=charge,counter=good"], Describe(streamDone));
        Assert.Equal(12ul, streamDone.Descriptors[0].HitsAddend);
    }

    [Fact(Timeout = 20_000)]
    public async Task The_request_level_addend_is_sent_again_on_the_stream_done_call()
    {
        // Arrange
        await using var stack = await RateLimitTestStack.StartAsync("ratelimit_options.yaml", extProc: Charging);

        // Act
        using var response = await stack.GetAsync("/", ("x-hits", "4"), ("x-user", "alice"), ("x-done-test", "1"));

        // Assert
        Assert.Equal([4u, 4u], stack.Calls.Select(c => c.HitsAddend));
    }

    [Fact(Timeout = 20_000)]
    public async Task No_stream_done_call_is_made_when_the_request_time_call_is_still_pending_as_the_client_goes_away()
    {
        // Arrange: timeout 0s, so the request-time call waits for the service, which never answers.
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var stack = await RateLimitTestStack.StartAsync("ratelimit_options.yaml", async (request, context) =>
        {
            received.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            return RateLimitServers.Ok(request);
        }, Charging);
        using var cancel = new CancellationTokenSource();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("x-user", "alice");
        request.Headers.Add("x-done-test", "1");

        // Act
        var send = stack.Client.SendAsync(request, cancel.Token);
        await received.Task;
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        var record = await stack.Env.RecordAsync();

        // Assert
        Assert.True(record.Aborted);
        Assert.Equal(["user=alice"], Describe(Assert.Single(stack.Calls)));
        Assert.Equal(0, stack.Stats.Get("cluster.backend-a.ratelimit.stream_done_calls"));
    }

    [Fact(Timeout = 20_000)]
    public async Task No_stream_done_call_is_made_when_an_earlier_ext_proc_answers_before_the_filter()
    {
        // Arrange
        var immediate = new ImmediateResponse { Status = new HttpStatus { Code = Envoy.Type.V3.StatusCode.Forbidden } };
        await using var stack = await RateLimitTestStack.StartAsync("ratelimit_options.yaml", extProc: call => ExtProcReplies.RespondToAllAsync(call, r =>
            r.RequestCase == RequestCase.RequestHeaders ? new ProcessingResponse { ImmediateResponse = immediate } : null));

        // Act
        using var response = await stack.GetAsync("/", ("x-user", "alice"), ("x-done-test", "1"));

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(stack.Calls);
    }
}
