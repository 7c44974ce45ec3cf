using System.Diagnostics;
using System.Net;
using System.Text.Json;
using AiGateway.MockProvider.Tests.TestSupport;

namespace AiGateway.MockProvider.Tests.Hosting;

/// <summary>SSE delivery: per-event flushing, chunk delays, resets and mid-stream errors.</summary>
public sealed class SseResponderTests
{
    // "Mock reply to: one two" streams 7 events: role, 5 words, finish, then [DONE] (8 in all).
    private const string Request = """{"model":"m","stream":true,"messages":[{"role":"user","content":"one two"}]}""";
    private const int EventCount = 8;

    private static Task<HttpResponseMessage> StartStreamAsync(MockServerFixture mock, params (string, string)[] headers) =>
        mock.SendAsync(HttpMethod.Post, "/v1/chat/completions", Request, HttpCompletionOption.ResponseHeadersRead, headers);

    [Fact]
    public async Task Each_event_is_flushed_on_its_own_with_the_chunk_delay_between_events()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();
        var clock = Stopwatch.StartNew();

        // Act
        using var response = await StartStreamAsync(mock, (MockHeaders.ChunkDelayMs, "250"));
        using var sse = await SseStream.OpenAsync(response, mock.Ct);
        var first = await sse.ReadEventAsync(mock.Ct);
        var firstAt = clock.Elapsed;
        var rest = await sse.ReadAllAsync(mock.Ct);
        var doneAt = clock.Elapsed;

        // Assert: the first event arrived while 7 delays of 250 ms (1750 ms) were still to come;
        // the 1000 ms bound leaves room for a client that is slow to read under load.
        Assert.NotNull(first);
        Assert.Equal(EventCount - 1, rest.Count);
        Assert.Equal("[DONE]", rest[^1]);
        Assert.True(doneAt - firstAt >= TimeSpan.FromMilliseconds(1000), $"first at {firstAt}, done at {doneAt}");
    }

    [Fact]
    public async Task The_default_chunk_delay_comes_from_the_options()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync(new MockProviderOptions { ChunkDelay = TimeSpan.FromMilliseconds(60) });
        var clock = Stopwatch.StartNew();

        // Act
        using var response = await mock.PostJsonAsync("/v1/chat/completions", Request);
        var events = SseStream.Split(await response.Content.ReadAsStringAsync(mock.Ct));

        // Assert
        Assert.Equal(EventCount, events.Count);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(60 * (EventCount - 1) * 0.9), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Reset_after_k_events_delivers_k_events_then_aborts_the_connection()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await StartStreamAsync(mock, (MockHeaders.ResetAfterEvents, "2"));
        using var sse = await SseStream.OpenAsync(response, mock.Ct);
        var first = await sse.ReadEventAsync(mock.Ct);
        var second = await sse.ReadEventAsync(mock.Ct);
        var failure = await Record.ExceptionAsync(() => sse.ReadEventAsync(mock.Ct));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.IsAssignableFrom<IOException>(failure);
    }

    [Fact]
    public async Task Reset_after_zero_events_sends_headers_then_aborts()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await StartStreamAsync(mock, (MockHeaders.ResetAfterEvents, "0"));
        using var sse = await SseStream.OpenAsync(response, mock.Ct);
        var failure = await Record.ExceptionAsync(() => sse.ReadEventAsync(mock.Ct));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.IsAssignableFrom<IOException>(failure);
    }

    [Fact]
    public async Task A_reset_rule_aborts_the_stream_after_its_event_count()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();
        mock.Server.AddFault(FaultRule.ResetAfter(3, "/v1/chat/completions", times: 1));

        // Act
        using var response = await StartStreamAsync(mock);
        using var sse = await SseStream.OpenAsync(response, mock.Ct);
        var received = new List<string>();
        var failure = await Record.ExceptionAsync(async () =>
        {
            while (await sse.ReadEventAsync(mock.Ct) is { } e)
            {
                received.Add(e);
            }
        });

        // Assert
        Assert.Equal(3, received.Count);
        Assert.IsAssignableFrom<IOException>(failure);
    }

    [Fact]
    public async Task A_stream_error_after_k_events_sends_an_OpenAI_error_event_and_ends_without_done()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await StartStreamAsync(mock, (MockHeaders.StreamErrorAfterEvents, "2"));
        using var sse = await SseStream.OpenAsync(response, mock.Ct);
        var events = await sse.ReadAllAsync(mock.Ct);

        // Assert
        Assert.Equal(3, events.Count);
        using var error = JsonDocument.Parse(events[2]);
        Assert.Equal("server_error", error.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.DoesNotContain("[DONE]", events);
    }
}
