using System.Net;
using AiGateway.EnvoyHarness.Tests.Infrastructure;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using RequestCase = Envoy.Service.ExtProc.V3.ProcessingRequest.RequestOneofCase;

namespace AiGateway.EnvoyHarness.Tests.ExtProc;

/// <summary>CONTINUE_AND_REPLACE on request headers (envoy-protocol.md §2.4, §6 item 13).</summary>
public sealed class ContinueAndReplaceTests
{
    private static Func<ExtProcCall, Task> ReplaceOnRequestHeaders(CommonResponse common) => call => ExtProcReplies.RespondToAllAsync(call, r =>
    {
        if (r.RequestCase != RequestCase.RequestHeaders)
        {
            return null;
        }

        common.Status = CommonResponse.Types.ResponseStatus.ContinueAndReplace;
        return ExtProcReplies.ContinueFor(r, common);
    });

    [Fact(Timeout = 10_000)]
    public async Task With_a_body_mutation_the_body_is_replaced_content_length_removed_and_no_body_message_follows()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("buffered.yaml", ReplaceOnRequestHeaders(new CommonResponse
        {
            HeaderMutation = ExtProcReplies.Set(("content-length", "9")),
            BodyMutation = new BodyMutation { Body = ByteString.CopyFromUtf8("replaced!") },
        }));

        // Act
        using var response = await env.Client.PostAsync("/", new StringContent("original"));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var upstream = env.UpstreamA.Requests.Single();
        Assert.Equal("replaced!", upstream.BodyText);
        Assert.Null(upstream.Header("content-length"));
        Assert.Equal("chunked", upstream.Header("transfer-encoding"));
        Assert.DoesNotContain(env.ExtProc.Calls.Single().Received, r => r.RequestCase == RequestCase.RequestBody);
    }

    [Fact(Timeout = 10_000)]
    public async Task With_a_body_mutation_a_bodiless_request_gets_a_body()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("headers_only.yaml", ReplaceOnRequestHeaders(new CommonResponse
        {
            HeaderMutation = ExtProcReplies.Set((":method", "POST")),
            BodyMutation = new BodyMutation { Body = ByteString.CopyFromUtf8("created") },
        }));

        // Act
        using var response = await env.Client.GetAsync("/");

        // Assert
        var upstream = env.UpstreamA.Requests.Single();
        Assert.Equal("POST", upstream.Method);
        Assert.Equal("created", upstream.BodyText);
    }

    [Fact(Timeout = 10_000)]
    public async Task Without_a_body_mutation_the_original_body_passes_unprocessed()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("buffered.yaml", ReplaceOnRequestHeaders(new CommonResponse()));

        // Act
        using var response = await env.Client.PostAsync("/", new StringContent("original"));

        // Assert
        var upstream = env.UpstreamA.Requests.Single();
        Assert.Equal("original", upstream.BodyText);
        Assert.Equal("8", upstream.Header("content-length"));
        Assert.DoesNotContain(env.ExtProc.Calls.Single().Received, r => r.RequestCase == RequestCase.RequestBody);
    }
}
