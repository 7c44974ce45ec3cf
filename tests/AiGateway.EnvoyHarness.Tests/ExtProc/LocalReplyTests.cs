using System.Net;
using AiGateway.EnvoyHarness.Tests.Infrastructure;
using Envoy.Service.ExtProc.V3;
using Envoy.Type.V3;
using Microsoft.AspNetCore.Http;
using RequestCase = Envoy.Service.ExtProc.V3.ProcessingRequest.RequestOneofCase;

namespace AiGateway.EnvoyHarness.Tests.ExtProc;

/// <summary>Local replies from elsewhere pass through the router-level ext_proc's response path (1.37+, §6 item 22).</summary>
public sealed class LocalReplyTests
{
    private static string? ResponseStatusSeenByRouterFilter(HarnessTestEnvironment env) =>
        env.ExtProc.Calls.Where(c => !c.IsUpstream)
            .SelectMany(c => c.Received)
            .Where(r => r.RequestCase == RequestCase.ResponseHeaders)
            .Select(r => ExtProcMessages.Header(r.ResponseHeaders, ":status"))
            .SingleOrDefault();

    [Fact(Timeout = 10_000)]
    public async Task A_direct_response_passes_through_the_response_path()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("buffered.yaml", call => ExtProcReplies.RespondToAllAsync(call));

        // Act
        using var response = await env.Client.GetAsync("/direct");

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("no route", await response.Content.ReadAsStringAsync());
        Assert.Equal("404", ResponseStatusSeenByRouterFilter(env));
        var body = env.ExtProc.Calls.Single().Received.Single(r => r.RequestCase == RequestCase.ResponseBody);
        Assert.Equal("no route", body.ResponseBody.Body.ToStringUtf8());
    }

    [Fact(Timeout = 10_000)]
    public async Task The_413_of_an_over_limit_body_passes_through_the_response_path()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("buffered.yaml", call => ExtProcReplies.RespondToAllAsync(call));

        // Act
        using var response = await env.Client.PostAsync("/", new StringContent(new string('x', 100)));

        // Assert
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("413", ResponseStatusSeenByRouterFilter(env));
    }

    [Fact(Timeout = 10_000)]
    public async Task An_upstream_filter_immediate_response_passes_through_the_router_level_response_path()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("upstream.yaml", call => ExtProcReplies.RespondToAllAsync(call, r =>
            call.IsUpstream ? new ProcessingResponse { ImmediateResponse = new ImmediateResponse { Status = new HttpStatus { Code = StatusCode.Unauthorized } } } : null));

        // Act
        using var response = await env.Client.GetAsync("/");

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("401", ResponseStatusSeenByRouterFilter(env));
    }

    [Fact(Timeout = 10_000)]
    public async Task An_upstream_timeout_504_passes_through_the_response_path()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync(
            "upstream.yaml",
            call => ExtProcReplies.RespondToAllAsync(call),
            upstreamA: async (context, _) =>
            {
                var aborted = Signals.Create();
                await using var registration = context.RequestAborted.Register(() => aborted.TrySetResult());
                await aborted.WaitBoundedAsync();
            });

        // Act
        using var response = await env.Client.GetAsync("/slow");

        // Assert
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("upstream request timeout", await response.Content.ReadAsStringAsync());
        Assert.Equal("504", ResponseStatusSeenByRouterFilter(env));
        Assert.Equal("upstream_response_timeout", (await env.RecordAsync()).ResponseCodeDetails);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_response_is_not_retried_by_an_upstream_filter_reply()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("upstream.yaml", call => ExtProcReplies.RespondToAllAsync(call, r =>
            call.IsUpstream ? new ProcessingResponse { ImmediateResponse = new ImmediateResponse { Status = new HttpStatus { Code = StatusCode.ServiceUnavailable } } } : null));

        // Act
        using var response = await env.Client.GetAsync("/");

        // Assert
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(env.UpstreamA.Requests);
        Assert.Empty(env.UpstreamB.Requests);
        var record = await env.RecordAsync();
        Assert.Equal("local-reply:503", Assert.Single(record.Attempts).Outcome);
        Assert.Single(env.ExtProc.Calls, c => c.IsUpstream);
    }
}
