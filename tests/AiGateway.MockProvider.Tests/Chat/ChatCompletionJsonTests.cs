using System.Text.Json;
using AiGateway.MockProvider.Tests.TestSupport;

namespace AiGateway.MockProvider.Tests.Chat;

/// <summary>The streamed chunk sequence, read over HTTP from a real server.</summary>
public sealed class ChatCompletionJsonTests
{
    private static string StreamRequest(string streamOptions = "") => $$"""
        {"model":"gpt-4o-mini","stream":true{{streamOptions}},"messages":[{"role":"user","content":"Hello there friend"}]}
        """;

    private static async Task<(HttpResponseMessage Response, List<JsonElement> Chunks, List<string> Raw)> StreamAsync(
        MockServerFixture mock, string request)
    {
        var response = await mock.PostJsonAsync("/v1/chat/completions", request);
        var raw = SseStream.Split(await response.Content.ReadAsStringAsync(mock.Ct));
        Assert.Equal("[DONE]", raw[^1]);
        var chunks = raw[..^1].Select(e => JsonDocument.Parse(e).RootElement.Clone()).ToList();
        return (response, chunks, raw);
    }

    [Fact]
    public async Task Streams_role_then_word_sized_content_then_finish_then_done()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        var (response, chunks, _) = await StreamAsync(mock, StreamRequest());
        using var _response = response;

        // Assert
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var deltas = chunks.Select(c => c.GetProperty("choices")[0].GetProperty("delta")).ToList();
        Assert.Equal("assistant", deltas[0].GetProperty("role").GetString());
        Assert.Equal(string.Empty, deltas[0].GetProperty("content").GetString());
        var pieces = deltas.Skip(1).SkipLast(1).Select(d => d.GetProperty("content").GetString()).ToList();
        Assert.Equal(["Mock", " reply", " to:", " Hello", " there", " friend"], pieces);
        Assert.Empty(deltas[^1].EnumerateObject());
        Assert.Equal("stop", chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.All(chunks.SkipLast(1), c => Assert.Equal(JsonValueKind.Null, c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind));
    }

    [Fact]
    public async Task Every_chunk_shares_the_same_id_created_model_and_object()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        var (response, chunks, _) = await StreamAsync(mock, StreamRequest(""","stream_options":{"include_usage":true}"""));
        using var _response = response;

        // Assert
        Assert.All(chunks, c =>
        {
            Assert.Equal("chatcmpl-mock-1", c.GetProperty("id").GetString());
            Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString());
            Assert.Equal("gpt-4o-mini", c.GetProperty("model").GetString());
            Assert.Equal(chunks[0].GetProperty("created").GetInt64(), c.GetProperty("created").GetInt64());
            Assert.Equal("fp_mock", c.GetProperty("system_fingerprint").GetString());
        });
    }

    [Theory]
    [InlineData("")]
    [InlineData(""","stream_options":{"include_usage":false}""")]
    [InlineData(""","stream_options":null""")]
    public async Task Without_include_usage_no_chunk_mentions_usage(string streamOptions)
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        var (response, chunks, _) = await StreamAsync(mock, StreamRequest(streamOptions));
        using var _response = response;

        // Assert
        Assert.All(chunks, c => Assert.False(c.TryGetProperty("usage", out _)));
        Assert.All(chunks, c => Assert.Equal(1, c.GetProperty("choices").GetArrayLength()));
    }

    [Fact]
    public async Task With_include_usage_a_final_usage_chunk_follows_finish_and_earlier_chunks_carry_usage_null()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        var (response, chunks, _) = await StreamAsync(mock, StreamRequest(""","stream_options":{"include_usage":true}"""));
        using var _response = response;

        // Assert
        var usageChunk = chunks[^1];
        Assert.Equal(0, usageChunk.GetProperty("choices").GetArrayLength());
        var usage = usageChunk.GetProperty("usage");
        Assert.Equal(8, usage.GetProperty("prompt_tokens").GetInt32());       // ceil(18/4) + 3
        Assert.Equal(9, usage.GetProperty("completion_tokens").GetInt32());   // ceil(33/4)
        Assert.Equal(17, usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal("stop", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.All(chunks.SkipLast(1), c => Assert.Equal(JsonValueKind.Null, c.GetProperty("usage").ValueKind));
    }

    [Fact]
    public async Task Streamed_usage_equals_the_usage_of_the_same_request_without_streaming()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();
        using var plain = await mock.PostJsonAsync("/v1/chat/completions", """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello there friend"}]}""");
        using var plainJson = JsonDocument.Parse(await plain.Content.ReadAsStringAsync(mock.Ct));

        // Act
        var (response, chunks, _) = await StreamAsync(mock, StreamRequest(""","stream_options":{"include_usage":true}"""));
        using var _response = response;

        // Assert
        Assert.Equal(plainJson.RootElement.GetProperty("usage").GetRawText(), chunks[^1].GetProperty("usage").GetRawText());
    }

    [Fact]
    public async Task A_tool_call_streams_index_id_and_name_first_then_argument_fragments()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();
        const string request = """
            {"model":"gpt-4o","stream":true,"tools":[{"type":"function","function":{"name":"get_weather"}}],
             "messages":[{"role":"user","content":"weather in New York?"}]}
            """;

        // Act
        var (response, chunks, _) = await StreamAsync(mock, request);
        using var _response = response;

        // Assert
        var first = chunks[0].GetProperty("choices")[0].GetProperty("delta");
        Assert.Equal("assistant", first.GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("content").ValueKind);
        var header = first.GetProperty("tool_calls")[0];
        Assert.Equal(0, header.GetProperty("index").GetInt32());
        Assert.Equal("call_mock_1", header.GetProperty("id").GetString());
        Assert.Equal("function", header.GetProperty("type").GetString());
        Assert.Equal("get_weather", header.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal(string.Empty, header.GetProperty("function").GetProperty("arguments").GetString());

        var fragments = chunks.Skip(1).SkipLast(1).Select(c => c.GetProperty("choices")[0].GetProperty("delta").GetProperty("tool_calls")[0]).ToList();
        Assert.True(fragments.Count > 1);
        Assert.All(fragments, f =>
        {
            Assert.Equal(0, f.GetProperty("index").GetInt32());
            Assert.False(f.TryGetProperty("id", out _));
            Assert.False(f.GetProperty("function").TryGetProperty("name", out _));
        });
        Assert.Equal("""{"location":"New York"}""", string.Concat(fragments.Select(f => f.GetProperty("function").GetProperty("arguments").GetString())));
        Assert.Equal("tool_calls", chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task A_length_limited_stream_finishes_with_length()
    {
        // Arrange
        await using var mock = await MockServerFixture.StartAsync();

        // Act
        var (response, chunks, _) = await StreamAsync(mock, """{"model":"m","stream":true,"max_completion_tokens":2,"messages":[{"role":"user","content":"hi"}]}""");
        using var _response = response;

        // Assert
        var text = string.Concat(chunks.Skip(1).SkipLast(1).Select(c => c.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString()));
        Assert.Equal("Mock rep", text);
        Assert.Equal("length", chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }
}
