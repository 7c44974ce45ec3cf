using AiGateway.EnvoyHarness.Tests.Infrastructure;
using Envoy.Extensions.Filters.Http.ExtProc.V3;
using Envoy.Service.ExtProc.V3;
using RequestCase = Envoy.Service.ExtProc.V3.ProcessingRequest.RequestOneofCase;

namespace AiGateway.EnvoyHarness.Tests.ExtProc;

/// <summary><c>mode_override</c> (envoy-protocol.md §2.11).</summary>
public sealed class ModeOverrideTests
{
    [Fact(Timeout = 10_000)]
    public async Task Mode_override_is_ignored_without_allow_mode_override()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("headers_only.yaml", call => ExtProcReplies.RespondToAllAsync(call, r =>
            WithOverride(r, RequestCase.RequestHeaders, new ProcessingMode { ResponseBodyMode = ProcessingMode.Types.BodySendMode.Buffered })));

        // Act
        using var response = await env.Client.GetAsync("/");

        // Assert
        Assert.DoesNotContain(env.ExtProc.Calls.Single().Received, r => r.RequestCase == RequestCase.ResponseBody);
    }

    [Fact(Timeout = 10_000)]
    public async Task An_override_that_omits_response_body_mode_turns_response_body_processing_off()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("buffered.yaml", call => ExtProcReplies.RespondToAllAsync(call, r =>
            WithOverride(r, RequestCase.RequestHeaders, new ProcessingMode { RequestBodyMode = ProcessingMode.Types.BodySendMode.Buffered })));

        // Act
        using var response = await env.Client.PostAsync("/", new StringContent("body"));

        // Assert
        var received = env.ExtProc.Calls.Single().Received;
        Assert.Contains(received, r => r.RequestCase == RequestCase.RequestBody);
        Assert.Contains(received, r => r.RequestCase == RequestCase.ResponseHeaders);
        Assert.DoesNotContain(received, r => r.RequestCase == RequestCase.ResponseBody);
    }

    [Fact(Timeout = 10_000)]
    public async Task Mode_override_in_a_body_reply_is_ignored()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("buffered.yaml", call => ExtProcReplies.RespondToAllAsync(call, r =>
            WithOverride(r, RequestCase.RequestBody, new ProcessingMode { RequestBodyMode = ProcessingMode.Types.BodySendMode.Buffered })));

        // Act
        using var response = await env.Client.PostAsync("/", new StringContent("body"));

        // Assert
        Assert.Contains(env.ExtProc.Calls.Single().Received, r => r.RequestCase == RequestCase.ResponseBody);
    }

    private static ProcessingResponse WithOverride(ProcessingRequest request, RequestCase when, ProcessingMode mode)
    {
        var reply = ExtProcReplies.ContinueFor(request);
        if (request.RequestCase == when)
        {
            reply.ModeOverride = mode;
        }

        return reply;
    }
}
