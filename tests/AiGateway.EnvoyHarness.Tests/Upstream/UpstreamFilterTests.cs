using System.Net;
using AiGateway.EnvoyHarness.Tests.Infrastructure;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Http;
using RequestCase = Envoy.Service.ExtProc.V3.ProcessingRequest.RequestOneofCase;

namespace AiGateway.EnvoyHarness.Tests.Upstream;

/// <summary>Upstream-level ext_proc per attempt, retries and priority failover (envoy-protocol.md §2.16, §5.6).</summary>
public sealed class UpstreamFilterTests
{
    private static Task Status(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    [Fact(Timeout = 10_000)]
    public async Task Each_attempt_opens_a_new_upstream_stream_with_the_carried_over_header_map_and_a_fresh_body()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync(
            "upstream.yaml",
            call => ExtProcReplies.RespondToAllAsync(call, r =>
            {
                if (!call.IsUpstream)
                {
                    return null;
                }

                var attempt = r.Attributes["envoy.filters.http.ext_proc"].Fields["upstream.request_attempt_count"].NumberValue;
                if (attempt > 1)
                {
                    return ExtProcReplies.ContinueFor(r, new CommonResponse { HeaderMutation = ExtProcReplies.Set(("x-attempt-2", "set")) });
                }

                return ExtProcReplies.ContinueFor(r, new CommonResponse
                {
                    Status = CommonResponse.Types.ResponseStatus.ContinueAndReplace,
                    HeaderMutation = ExtProcReplies.Set(("x-attempt-1", "set")),
                    BodyMutation = new BodyMutation { Body = ByteString.CopyFromUtf8("first attempt body") },
                });
            }),
            upstreamA: (context, _) => Status(context, 503));

        // Act
        using var response = await env.Client.PostAsync("/v1/chat", new StringContent("original"));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("first attempt body", env.UpstreamA.Requests.Single().BodyText);
        var second = env.UpstreamB.Requests.Single();
        Assert.Equal("original", second.BodyText);
        Assert.Equal("set", second.Header("x-attempt-1"));
        Assert.Equal("set", second.Header("x-attempt-2"));
        var upstreamCalls = env.ExtProc.Calls.Where(c => c.IsUpstream).ToList();
        Assert.Equal(2, upstreamCalls.Count);
        Assert.Equal("set", ExtProcMessages.Header(upstreamCalls[1].Received[0].RequestHeaders, "x-attempt-1"));
        Assert.Single(env.ExtProc.Calls, c => !c.IsUpstream);
    }

    [Fact(Timeout = 10_000)]
    public async Task Retries_move_to_the_next_priority_and_back_when_all_were_tried()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync(
            "upstream.yaml",
            call => ExtProcReplies.RespondToAllAsync(call),
            upstreamA: (context, _) => Status(context, 429),
            upstreamB: (context, _) => Status(context, 500));

        // Act
        using var response = await env.Client.GetAsync("/");

        // Assert
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var record = await env.RecordAsync();
        Assert.Equal([0, 1, 0], record.Attempts.Select(a => a.Priority));
        Assert.Equal(["status:429", "status:500", "status:429"], record.Attempts.Select(a => a.Outcome));
        Assert.Equal("b", record.Attempts[1].EndpointMetadata["ai_gateway"]["provider"]);
        Assert.Equal(2, env.Harness.Stats.Get("cluster.llm.upstream_rq_retry"));
        Assert.Equal(3, env.ExtProc.Calls.Count(c => c.IsUpstream));
    }

    [Fact(Timeout = 10_000)]
    public async Task Request_attributes_are_evaluated_for_the_chosen_host_on_the_first_message()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("upstream.yaml", call => ExtProcReplies.RespondToAllAsync(call));

        // Act
        using var response = await env.Client.PostAsync("/v1/chat", new StringContent("{}"));

        // Assert
        var upstreamCall = env.ExtProc.Calls.Single(c => c.IsUpstream);
        var attributes = upstreamCall.Received[0].Attributes["envoy.filters.http.ext_proc"].Fields;
        Assert.Equal("a", attributes["xds.upstream_host_metadata.filter_metadata['ai_gateway']['provider']"].StringValue);
        Assert.Equal("llm", attributes["xds.cluster_name"].StringValue);
        Assert.Equal("llm", attributes["xds.route_name"].StringValue);
        Assert.Equal(1, attributes["upstream.request_attempt_count"].NumberValue);
        Assert.Equal(Value.KindOneofCase.NumberValue, attributes["upstream.request_attempt_count"].KindCase);
        Assert.Equal("/v1/chat", attributes["request.path"].StringValue);
        Assert.Equal("POST", attributes["request.method"].StringValue);
        Assert.Equal("upstream", upstreamCall.CallHeaders["x-ai-gateway-filter"]);
        var routerCall = env.ExtProc.Calls.Single(c => !c.IsUpstream);
        Assert.All(routerCall.Received, r => Assert.Empty(r.Attributes));
    }

    [Fact(Timeout = 10_000)]
    public async Task An_upstream_immediate_response_goes_to_the_client_without_retry()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("upstream.yaml", call => ExtProcReplies.RespondToAllAsync(call, r =>
            call.IsUpstream && r.RequestCase == RequestCase.RequestHeaders
                ? new ProcessingResponse { ImmediateResponse = new ImmediateResponse { Status = new Envoy.Type.V3.HttpStatus { Code = Envoy.Type.V3.StatusCode.UnprocessableEntity } } }
                : null));

        // Act
        using var response = await env.Client.GetAsync("/");

        // Assert
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Single(env.ExtProc.Calls, c => c.IsUpstream);
        Assert.Equal(0, env.Harness.Stats.Get("cluster.llm.upstream_rq_retry"));
    }
}
