using System.Net;
using AiGateway.EnvoyHarness.Tests.Infrastructure;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using RequestCase = Envoy.Service.ExtProc.V3.ProcessingRequest.RequestOneofCase;

namespace AiGateway.EnvoyHarness.Tests.ExtProc;

/// <summary>BUFFERED and STREAMED body modes (envoy-protocol.md §2.6).</summary>
public sealed class BodyModeTests
{
    [Fact(Timeout = 10_000)]
    public async Task Buffered_request_body_is_sent_in_one_message_and_its_replacement_goes_upstream()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("buffered.yaml", call => ExtProcReplies.RespondToAllAsync(call, r =>
            r.RequestCase == RequestCase.RequestBody
                ? ExtProcReplies.ContinueFor(r, new CommonResponse
                {
                    HeaderMutation = ExtProcReplies.Set(("content-length", "3")),
                    BodyMutation = new BodyMutation { Body = ByteString.CopyFromUtf8("new") },
                })
                : null));

        // Act
        using var response = await env.Client.PostAsync("/", new StringContent("original body"));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bodies = env.ExtProc.Calls.Single().Received.Where(r => r.RequestCase == RequestCase.RequestBody).ToList();
        Assert.Equal("original body", Assert.Single(bodies).RequestBody.Body.ToStringUtf8());
        Assert.True(bodies[0].RequestBody.EndOfStream);
        Assert.Equal("new", env.UpstreamA.Requests.Single().BodyText);
        Assert.Equal("3", env.UpstreamA.Requests.Single().Header("content-length"));
    }

    [Fact(Timeout = 10_000)]
    public async Task A_buffered_body_reply_whose_length_differs_from_content_length_fails_with_500()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("buffered.yaml", call => ExtProcReplies.RespondToAllAsync(call, r =>
            r.RequestCase == RequestCase.RequestBody
                ? ExtProcReplies.ContinueFor(r, new CommonResponse { BodyMutation = new BodyMutation { Body = ByteString.CopyFromUtf8("longer than before") } })
                : null));

        // Act
        using var response = await env.Client.PostAsync("/", new StringContent("short"));

        // Assert
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Empty(env.UpstreamA.Requests);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_request_body_over_the_buffer_limit_gets_413_and_the_processor_never_sees_it()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("buffered.yaml", call => ExtProcReplies.RespondToAllAsync(call));

        // Act
        using var response = await env.Client.PostAsync("/", new StringContent(new string('x', 100)));

        // Assert
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(env.UpstreamA.Requests);
        Assert.DoesNotContain(env.ExtProc.Calls.Single().Received, r => r.RequestCase == RequestCase.RequestBody);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_response_body_over_the_buffer_limit_gets_500()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync(
            "buffered.yaml",
            call => ExtProcReplies.RespondToAllAsync(call),
            upstreamA: (context, _) => context.Response.WriteAsync(new string('y', 100)));

        // Act
        using var response = await env.Client.GetAsync("/");

        // Assert
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain(env.ExtProc.Calls.Single().Received, r => r.RequestCase == RequestCase.ResponseBody);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_bodiless_request_sends_no_body_message_in_buffered_mode()
    {
        // Arrange
        await using var env = await HarnessTestEnvironment.StartAsync("buffered.yaml", call => ExtProcReplies.RespondToAllAsync(call));

        // Act
        using var response = await env.Client.GetAsync("/");

        // Assert
        var received = env.ExtProc.Calls.Single().Received;
        Assert.True(received[0].RequestHeaders.EndOfStream);
        Assert.DoesNotContain(received, r => r.RequestCase == RequestCase.RequestBody);
    }

    [Fact(Timeout = 10_000)]
    public async Task Streamed_response_sends_one_message_per_chunk_and_applies_replies_in_order()
    {
        // Arrange
        var firstChunkSeen = Signals.Create();
        var secondChunkSeen = Signals.Create();
        await using var env = await HarnessTestEnvironment.StartAsync(
            "streamed.yaml",
            async call =>
            {
                await call.WriteAsync(ExtProcReplies.ContinueFor(await call.ExpectAsync()));
                await call.WriteAsync(ExtProcReplies.ContinueFor(await call.ExpectAsync()));
                var first = await call.ExpectAsync();
                firstChunkSeen.TrySetResult();
                var second = await call.ExpectAsync();

                // Both chunks are outstanding: replies apply to the oldest first.
                await call.WriteAsync(ExtProcReplies.ContinueFor(first, new CommonResponse { BodyMutation = new BodyMutation { Body = ByteString.CopyFromUtf8("ONE") } }));
                await call.WriteAsync(ExtProcReplies.ContinueFor(second, new CommonResponse { BodyMutation = new BodyMutation { DropBody = true } }));
                secondChunkSeen.TrySetResult();
                await ExtProcReplies.RespondToAllAsync(call, r => ExtProcReplies.ContinueFor(r, new CommonResponse { HeaderMutation = ExtProcReplies.Set(("x-late", "ignored")) }));
            },
            upstreamA: async (context, _) =>
            {
                await context.Response.WriteAsync("one");
                await context.Response.Body.FlushAsync();
                await firstChunkSeen.WaitBoundedAsync();
                await context.Response.WriteAsync("two");
                await context.Response.Body.FlushAsync();
                await secondChunkSeen.WaitBoundedAsync();
                await context.Response.WriteAsync("three");
            });

        // Act
        using var response = await env.Client.GetAsync("/");
        var body = await response.Content.ReadAsStringAsync();

        // Assert
        Assert.Equal("ONEthree", body);
        Assert.False(response.Headers.Contains("x-late"));
        var chunks = env.ExtProc.Calls.Single().Received.Where(r => r.RequestCase == RequestCase.ResponseBody).Select(r => r.ResponseBody).ToList();
        Assert.Equal(["one", "two", "three"], chunks.Select(c => c.Body.ToStringUtf8()).Where(b => b.Length > 0));
        Assert.True(chunks[^1].EndOfStream);
    }

    [Fact(Timeout = 10_000)]
    public async Task Streamed_request_sends_each_chunk_and_replaces_it_per_reply()
    {
        // Arrange
        var firstChunkSeen = Signals.Create();
        await using var env = await HarnessTestEnvironment.StartAsync("streamed.yaml", call => ExtProcReplies.RespondToAllAsync(call, r =>
        {
            if (r.RequestCase == RequestCase.RequestBody && r.RequestBody.Body.ToStringUtf8() == "abc")
            {
                firstChunkSeen.TrySetResult();
                return ExtProcReplies.ContinueFor(r, new CommonResponse { BodyMutation = new BodyMutation { Body = ByteString.CopyFromUtf8("ABC") } });
            }

            return null;
        }));
        using var content = new ChunkedContent([("abc", firstChunkSeen), ("def", null)]);

        // Act
        using var response = await env.Client.PostAsync("/", content);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ABCdef", env.UpstreamA.Requests.Single().BodyText);
        var bodies = env.ExtProc.Calls.Single().Received.Where(r => r.RequestCase == RequestCase.RequestBody).ToList();
        Assert.Equal("abc", bodies[0].RequestBody.Body.ToStringUtf8());
        Assert.False(bodies[0].RequestBody.EndOfStream);
        Assert.True(bodies[^1].RequestBody.EndOfStream);
    }
}
