using System.Net;
using AiGateway.EnvoyHarness.Tests.Infrastructure;
using Envoy.Service.ExtProc.V3;
using Envoy.Type.V3;
using Google.Protobuf;
using RequestCase = Envoy.Service.ExtProc.V3.ProcessingRequest.RequestOneofCase;

namespace AiGateway.EnvoyHarness.Tests.ExtProc;

/// <summary>ImmediateResponse (envoy-protocol.md §2.15).</summary>
public sealed class ImmediateResponseTests
{
    private static Func<ExtProcCall, Task> AnswerRequestHeadersWith(ImmediateResponse immediate) => call => ExtProcReplies.RespondToAllAsync(call, r =>
        r.RequestCase == RequestCase.RequestHeaders ? new ProcessingResponse { ImmediateResponse = immediate } : null);

    [Fact(Timeout = 10_000)]
    public async Task Status_headers_and_body_reach_the_client()
    {
        // Arrange
        var immediate = new ImmediateResponse
        {
            Status = new HttpStatus { Code = StatusCode.Unauthorized },
            Headers = ExtProcReplies.Set(("content-type", "application/json"), ("x-reason", "no key")),
            Body = ByteString.CopyFromUtf8("{\"error\":\"no key\"}"),
        };
        await using var env = await HarnessTestEnvironment.StartAsync("headers_only.yaml", AnswerRequestHeadersWith(immediate));

        // Act
        using var response = await env.Client.GetAsync("/");

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no key", response.Headers.GetValues("x-reason").Single());
        Assert.Equal("{\"error\":\"no key\"}", await response.Content.ReadAsStringAsync());
        Assert.Empty(env.UpstreamA.Requests);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_missing_or_informational_status_answers_200_with_text_plain()
    {
        // Arrange
        var immediate = new ImmediateResponse { Status = new HttpStatus { Code = StatusCode.Continue }, Body = ByteString.CopyFromUtf8("hello") };
        await using var env = await HarnessTestEnvironment.StartAsync("headers_only.yaml", AnswerRequestHeadersWith(immediate));

        // Act
        using var response = await env.Client.GetAsync("/");

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("hello", await response.Content.ReadAsStringAsync());
    }

    [Fact(Timeout = 10_000)]
    public async Task An_empty_body_drops_content_type_and_content_length_set_by_the_processor()
    {
        // Arrange
        var immediate = new ImmediateResponse
        {
            Status = new HttpStatus { Code = StatusCode.Forbidden },
            Headers = ExtProcReplies.Set(("content-type", "application/json"), ("content-length", "10")),
        };
        await using var env = await HarnessTestEnvironment.StartAsync("headers_only.yaml", AnswerRequestHeadersWith(immediate));

        // Act
        using var response = await env.Client.GetAsync("/");

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentType);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
    }

    [Fact(Timeout = 10_000)]
    public async Task A_filter_own_immediate_response_is_not_sent_back_to_that_filter()
    {
        // Arrange
        var immediate = new ImmediateResponse { Status = new HttpStatus { Code = StatusCode.NotFound } };
        await using var env = await HarnessTestEnvironment.StartAsync("headers_only.yaml", AnswerRequestHeadersWith(immediate));

        // Act
        using var response = await env.Client.GetAsync("/");

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(RequestCase.RequestHeaders, env.ExtProc.Calls.Single().Received.Single().RequestCase);
    }

    [Fact(Timeout = 10_000)]
    public async Task An_immediate_response_to_buffered_response_body_replaces_the_response_cleanly()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("buffered.yaml", call => ExtProcReplies.RespondToAllAsync(call, r =>
            r.RequestCase == RequestCase.ResponseBody
                ? new ProcessingResponse { ImmediateResponse = new ImmediateResponse { Status = new HttpStatus { Code = StatusCode.BadGateway }, Body = ByteString.CopyFromUtf8("replaced") } }
                : null));

        // Act
        using var response = await env.Client.GetAsync("/");

        // Assert
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("replaced", await response.Content.ReadAsStringAsync());
    }
}
