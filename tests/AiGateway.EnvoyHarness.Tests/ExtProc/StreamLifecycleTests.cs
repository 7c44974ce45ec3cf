using AiGateway.EnvoyHarness.Tests.Infrastructure;
using Envoy.Service.ExtProc.V3;

namespace AiGateway.EnvoyHarness.Tests.ExtProc;

/// <summary>Stream opening and termination (envoy-protocol.md §2.1).</summary>
public sealed class StreamLifecycleTests
{
    [Fact(Timeout = 10_000)]
    public async Task After_the_last_expected_message_the_stream_is_half_closed_and_cancelled()
    {
        // Arrange
        var streamEnded = Signals.Create();
        ProcessingRequest? afterLastMessage = null;
        await using var env = await HarnessTestEnvironment.StartAsync("request_headers_only.yaml", async call =>
        {
            await call.WriteAsync(ExtProcReplies.ContinueFor(await call.ExpectAsync()));
            afterLastMessage = await call.ReadAsync();
            await call.WaitForCancellationAsync();
            streamEnded.TrySetResult();
        });

        // Act
        using var response = await env.Client.GetAsync("/");
        await streamEnded.WaitBoundedAsync();

        // Assert
        Assert.Null(afterLastMessage);
        Assert.True(env.ExtProc.Calls.Single().CancellationObserved);
        Assert.Equal(1, env.Harness.Stats.Get("http.test.ext_proc.streams_started"));
        Assert.Equal(1, env.Harness.Stats.Get("http.test.ext_proc.streams_closed"));
    }

    [Fact(Timeout = 10_000)]
    public async Task Each_request_gets_its_own_stream()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("headers_only.yaml", call => ExtProcReplies.RespondToAllAsync(call));

        // Act
        using (await env.Client.GetAsync("/"))
        using (await env.Client.GetAsync("/"))
        {
        }

        // Assert
        Assert.Equal(2, env.ExtProc.Calls.Count);
        Assert.All(env.ExtProc.Calls, c => Assert.Equal(2, c.Received.Count));
    }
}
