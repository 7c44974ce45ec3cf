using System.Net;
using AiGateway.EnvoyHarness.Tests.Infrastructure;
using Envoy.Service.ExtProc.V3;
using Grpc.Core;
using RequestCase = Envoy.Service.ExtProc.V3.ProcessingRequest.RequestOneofCase;

namespace AiGateway.EnvoyHarness.Tests.ExtProc;

/// <summary>The failure matrix (envoy-protocol.md §2.13).</summary>
public sealed class FailureTests
{
    private static async Task NeverAnswerAsync(ExtProcCall call)
    {
        await call.ExpectAsync();
        await call.WaitForCancellationAsync();
    }

    [Fact(Timeout = 10_000)]
    public async Task Message_timeout_answers_504()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("timeouts.yaml", NeverAnswerAsync);

        // Act
        using var response = await env.Client.GetAsync("/");

        // Assert
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Empty(env.UpstreamA.Requests);
        Assert.Equal(1, env.Harness.Stats.Get("http.test.ext_proc.message_timeouts"));
        Assert.Equal("ext_proc_per-message_timeout_exceeded", (await env.RecordAsync()).ResponseCodeDetails);
    }

    [Fact(Timeout = 10_000)]
    public async Task Message_timeout_with_failure_mode_allow_continues_without_ext_proc()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("timeouts_fail_open.yaml", NeverAnswerAsync);

        // Act
        using var response = await env.Client.GetAsync("/");

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(env.UpstreamA.Requests);
        Assert.Single(env.ExtProc.Calls.Single().Received);
        Assert.Equal(1, env.Harness.Stats.Get("http.test.ext_proc.failure_mode_allowed"));
    }

    [Fact(Timeout = 10_000)]
    public async Task A_grpc_error_from_the_server_answers_500()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("headers_only.yaml", async call =>
        {
            await call.ExpectAsync();
            throw new RpcException(new Status(StatusCode.Unavailable, "backend down"));
        });

        // Act
        using var response = await env.Client.GetAsync("/");

        // Assert
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Empty(env.UpstreamA.Requests);
        Assert.StartsWith("ext_proc_error_gRPC_error_14", (await env.RecordAsync()).ResponseCodeDetails, StringComparison.Ordinal);
    }

    [Fact(Timeout = 10_000)]
    public async Task The_server_closing_the_stream_with_ok_lets_the_request_continue_unmodified()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("headers_only.yaml", async call => await call.ExpectAsync());

        // Act
        using var response = await env.Client.GetAsync("/path");

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/path", env.UpstreamA.Requests.Single().Path);
        Assert.Equal("upstream-ok", await response.Content.ReadAsStringAsync());
    }

    [Fact(Timeout = 10_000)]
    public async Task A_spurious_reply_answers_500()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("headers_only.yaml", call => ExtProcReplies.RespondToAllAsync(call, r =>
            r.RequestCase == RequestCase.RequestHeaders ? new ProcessingResponse { ResponseHeaders = new HeadersResponse() } : null));

        // Act
        using var response = await env.Client.GetAsync("/");

        // Assert
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Empty(env.UpstreamA.Requests);
        Assert.Equal(1, env.Harness.Stats.Get("http.test.ext_proc.spurious_msgs_received"));
    }
}
