using System.Net;
using AiGateway.EnvoyHarness.Tests.Infrastructure;
using Envoy.Extensions.Filters.Http.ExtProc.V3;
using Envoy.Service.ExtProc.V3;

namespace AiGateway.EnvoyHarness.Tests.ExtProc;

/// <summary>What the harness puts into headers messages (envoy-protocol.md §2.3).</summary>
public sealed class HeadersMessageTests
{
    [Fact(Timeout = 10_000)]
    public async Task Request_headers_are_lower_case_raw_values_with_pseudo_headers_and_end_of_stream_for_a_bodiless_request()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("headers_only.yaml", call => ExtProcReplies.RespondToAllAsync(call));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models?x=1");
        request.Headers.TryAddWithoutValidation("X-Custom-Header", "Value-1");

        // Act
        using var response = await env.Client.SendAsync(request);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var first = env.ExtProc.Calls.Single().Received[0];
        var headers = first.RequestHeaders;
        Assert.True(headers.EndOfStream);
        Assert.All(headers.Headers.Headers, h => Assert.Equal(string.Empty, h.Value));
        Assert.All(headers.Headers.Headers, h => Assert.Equal(h.Key.ToLowerInvariant(), h.Key));
        Assert.Equal("GET", ExtProcMessages.Header(headers, ":method"));
        Assert.Equal("/v1/models?x=1", ExtProcMessages.Header(headers, ":path"));
        Assert.Equal("http", ExtProcMessages.Header(headers, ":scheme"));
        Assert.Equal(env.Harness.BaseAddress.Authority, ExtProcMessages.Header(headers, ":authority"));
        Assert.Equal("Value-1", ExtProcMessages.Header(headers, "x-custom-header"));
    }

    [Fact(Timeout = 10_000)]
    public async Task Protocol_config_rides_on_the_first_message_and_metadata_context_on_every_message()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("headers_only.yaml", call => ExtProcReplies.RespondToAllAsync(call));

        // Act
        using var response = await env.Client.GetAsync("/");

        // Assert
        var received = env.ExtProc.Calls.Single().Received;
        Assert.Equal(2, received.Count);
        Assert.NotNull(received[0].ProtocolConfig);
        Assert.Equal(ProcessingMode.Types.BodySendMode.None, received[0].ProtocolConfig.RequestBodyMode);
        Assert.Null(received[1].ProtocolConfig);
        Assert.All(received, r => Assert.NotNull(r.MetadataContext));
    }

    [Fact(Timeout = 10_000)]
    public async Task Response_headers_carry_the_status_pseudo_header()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync(
            "headers_only.yaml",
            call => ExtProcReplies.RespondToAllAsync(call),
            upstreamA: (context, _) =>
            {
                context.Response.StatusCode = 201;
                return Task.CompletedTask;
            });

        // Act
        using var response = await env.Client.GetAsync("/");

        // Assert
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var responseHeaders = env.ExtProc.Calls.Single().Received.Single(r => r.RequestCase == ProcessingRequest.RequestOneofCase.ResponseHeaders);
        Assert.Equal("201", ExtProcMessages.Header(responseHeaders.ResponseHeaders, ":status"));
    }
}
