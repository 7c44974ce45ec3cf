using System.Net;
using AiGateway.MockProvider.Tests.TestSupport;

namespace AiGateway.MockProvider.Tests.Messages;

/// <summary><c>"stream": true</c> on <c>{prefix}/messages</c>: Anthropic's event sequence, faults and error statuses.</summary>
public sealed class MessagesStreamTests
{
    // "Mock reply to: one two" is 5 words: message_start, content_block_start, ping, 5 deltas,
    // content_block_stop, message_delta, message_stop = 11 events.
    private const string TextRequest = """{"model":"claude-sonnet-4-5","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"one two"}]}""";
    private const int TextEventCount = 11;

    private const string ToolRequest = """
        {"model":"claude-sonnet-4-5","max_tokens":100,"stream":true,"tools":[{"name":"get_weather","input_schema":{"type":"object"}}],
         "messages":[{"role":"user","content":"What is the weather in Tokyo?"}]}
        """;

    private static Task<HttpResponseMessage> StartStreamAsync(MockServerFixture mock, string request, params (string, string)[] headers) =>
        mock.SendAsync(
            HttpMethod.Post,
            "/anthropic/v1/messages",
            request,
            HttpCompletionOption.ResponseHeadersRead,
            [.. MessagesHandlerTests.AnthropicHeaders, .. headers]);

    [Fact]
    public async Task A_text_reply_streams_Anthropic_events_in_the_exact_order()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await StartStreamAsync(mock, TextRequest);
        var events = NamedSse.Split(await response.Content.ReadAsStringAsync(mock.Ct));

        // Assert: input = ceil(7 / 4) + 3 = 5; output = ceil(22 / 4) = 6.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("req_mock_1", MessagesHandlerTests.Header(response, "request-id"));
        Assert.Equal(
            [
                """{"type":"message_start","message":{"id":"msg_mock_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":1,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}}""",
                """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""",
                """{"type":"ping"}""",
                """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Mock"}}""",
                """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" reply"}}""",
                """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" to:"}}""",
                """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" one"}}""",
                """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" two"}}""",
                """{"type":"content_block_stop","index":0}""",
                """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":6}}""",
                """{"type":"message_stop"}""",
            ],
            events.Select(e => e.Data).ToArray());
        Assert.Equal(
            ["message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta", "content_block_delta",
             "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            events.Select(e => e.Name).ToArray());
    }

    [Fact]
    public async Task A_tool_use_streams_a_text_block_then_a_tool_use_block_with_input_json_deltas()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await StartStreamAsync(mock, ToolRequest);
        var events = NamedSse.Split(await response.Content.ReadAsStringAsync(mock.Ct));

        // Assert: the order of event names, with the tool block at index 1.
        var names = events.Select(e => e.Name).ToList();
        Assert.Equal(["message_start", "content_block_start", "ping"], names[..3]);
        var firstStop = names.IndexOf("content_block_stop");
        Assert.All(names[3..firstStop], n => Assert.Equal("content_block_delta", n));
        Assert.Equal(
            """{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_mock_1","name":"get_weather","input":{}}}""",
            events[firstStop + 1].Data);
        var secondStop = names.LastIndexOf("content_block_stop");
        Assert.Equal(["content_block_stop", "message_delta", "message_stop"], names[secondStop..]);
        Assert.Equal("""{"type":"content_block_stop","index":1}""", events[secondStop].Data);

        // Text deltas rebuild the lead text; input_json_delta fragments (never "{}" first) rebuild the input.
        var text = string.Concat(events[3..firstStop].Select(e => e.Json.GetProperty("delta").GetProperty("text").GetString()));
        Assert.Equal("I'll use the get_weather tool.", text);
        var jsonDeltas = events[(firstStop + 2)..secondStop];
        Assert.True(jsonDeltas.Count > 1);
        Assert.All(jsonDeltas, e =>
        {
            Assert.Equal(1, e.Json.GetProperty("index").GetInt32());
            Assert.Equal("input_json_delta", e.Json.GetProperty("delta").GetProperty("type").GetString());
        });
        var input = string.Concat(jsonDeltas.Select(e => e.Json.GetProperty("delta").GetProperty("partial_json").GetString()));
        Assert.Equal("""{"location":"Tokyo"}""", input);
        Assert.NotEqual("{}", jsonDeltas[0].Json.GetProperty("delta").GetProperty("partial_json").GetString());
        Assert.Equal(
            """{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":16}}""",
            events[^2].Data);
    }

    [Fact]
    public async Task Max_tokens_cuts_the_streamed_text_and_reports_max_tokens()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await StartStreamAsync(mock, TextRequest.Replace("\"max_tokens\":100", "\"max_tokens\":2", StringComparison.Ordinal));
        var events = NamedSse.Split(await response.Content.ReadAsStringAsync(mock.Ct));

        // Assert
        var text = string.Concat(events.Where(e => e.Name == "content_block_delta").Select(e => e.Json.GetProperty("delta").GetProperty("text").GetString()));
        Assert.Equal("Mock rep", text);
        Assert.Equal("""{"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":2}}""", events[^2].Data);
    }

    [Fact]
    public async Task Reset_after_k_events_delivers_k_events_then_aborts()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await StartStreamAsync(mock, TextRequest, (MockHeaders.ResetAfterEvents, "3"));
        using var sse = await NamedSse.OpenAsync(response, mock.Ct);
        var received = new List<string>();
        var error = await Record.ExceptionAsync(async () =>
        {
            while (await sse.ReadEventAsync(mock.Ct) is { } e)
            {
                received.Add(e.Name);
            }
        });

        // Assert
        Assert.Equal(["message_start", "content_block_start", "ping"], received);
        Assert.IsAssignableFrom<IOException>(error);
    }

    [Fact]
    public async Task Stream_error_after_k_events_sends_an_Anthropic_error_event_and_ends()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await StartStreamAsync(mock, TextRequest, (MockHeaders.StreamErrorAfterEvents, "4"));
        var body = await response.Content.ReadAsStringAsync(mock.Ct);

        // Assert
        var events = NamedSse.Split(body);
        Assert.Equal(["message_start", "content_block_start", "ping", "content_block_delta", "error"], events.Select(e => e.Name).ToArray());
        Assert.EndsWith("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fault_rule_stream_error_uses_its_message()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();
        mock.Server.AddFault(new FaultRule { PathPrefix = "/anthropic/", StreamErrorAfterEvents = 0, ErrorMessage = "busy", Times = 1 });

        // Act
        using var response = await StartStreamAsync(mock, TextRequest);
        var events = NamedSse.Split(await response.Content.ReadAsStringAsync(mock.Ct));

        // Assert
        var error = Assert.Single(events);
        Assert.Equal("""{"type":"error","error":{"type":"overloaded_error","message":"busy"}}""", error.Data);
    }

    [Fact]
    public async Task The_chunk_delay_applies_between_events()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // Act
        using var response = await StartStreamAsync(mock, TextRequest, (MockHeaders.ChunkDelayMs, "30"));
        var events = NamedSse.Split(await response.Content.ReadAsStringAsync(mock.Ct));

        // Assert
        Assert.Equal(TextEventCount, events.Count);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(30 * (events.Count - 1) * 0.9), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData(400, "invalid_request_error")]
    [InlineData(401, "authentication_error")]
    [InlineData(403, "permission_error")]
    [InlineData(404, "not_found_error")]
    [InlineData(413, "request_too_large")]
    [InlineData(429, "rate_limit_error")]
    [InlineData(500, "api_error")]
    [InlineData(503, "api_error")]
    [InlineData(529, "overloaded_error")]
    public async Task Error_statuses_on_a_messages_path_use_Anthropic_error_types(int status, string type)
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await StartStreamAsync(mock, TextRequest, (MockHeaders.Status, status.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var json = RequestJson.Parse(await response.Content.ReadAsStringAsync(mock.Ct));

        // Assert
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("error", json.GetProperty("type").GetString());
        Assert.Equal(type, json.GetProperty("error").GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("error").GetProperty("message").GetString()));
        Assert.Equal("req_mock_1", json.GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task A_rate_limit_rule_sends_retry_after_and_exhausted_anthropic_headers()
    {
        // Arrange
        var now = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        await using var mock = await MockServerFixture.StartAsync(new MockProviderOptions { TimeProvider = new FixedTimeProvider(now) });
        mock.Server.AddFault(FaultRule.RateLimited(retryAfterSeconds: 7, "/anthropic/v1/messages", times: 1));

        // Act
        using var limited = await StartStreamAsync(mock, TextRequest);
        var body = await limited.Content.ReadAsStringAsync(mock.Ct);
        using var next = await StartStreamAsync(mock, TextRequest);

        // Assert
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("7", MessagesHandlerTests.Header(limited, "retry-after"));
        Assert.Equal("0", MessagesHandlerTests.Header(limited, "anthropic-ratelimit-requests-remaining"));
        Assert.Equal("2026-01-02T03:04:12Z", MessagesHandlerTests.Header(limited, "anthropic-ratelimit-requests-reset"));
        Assert.Equal(
            """{"type":"error","error":{"type":"rate_limit_error","message":"Number of requests has exceeded your rate limit (injected by mock provider). Please try again later."},"request_id":"req_mock_1"}""",
            body);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task An_invalid_mock_header_gets_a_400_in_Anthropic_format()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        using var response = await StartStreamAsync(mock, TextRequest, (MockHeaders.Status, "abc"));
        var json = RequestJson.Parse(await response.Content.ReadAsStringAsync(mock.Ct));

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", json.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains(MockHeaders.Status, json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_streaming_reset_sends_half_the_body_then_aborts()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        var error = await Record.ExceptionAsync(async () =>
        {
            using var response = await StartStreamAsync(mock, TextRequest.Replace("\"stream\":true,", string.Empty, StringComparison.Ordinal), (MockHeaders.ResetAfterEvents, "0"));
            await response.Content.ReadAsStringAsync(mock.Ct);
        });

        // Assert: the client saw a truncated body (the content length was announced in full).
        Assert.True(error is HttpRequestException or IOException, error?.ToString());
    }
}
