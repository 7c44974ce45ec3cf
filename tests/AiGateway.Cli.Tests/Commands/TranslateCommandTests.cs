using System.Text;
using System.Text.Json;
using AiGateway.Cli.Commands;
using AiGateway.TestKit;

namespace AiGateway.Cli.Tests.Commands;

public sealed class TranslateCommandTests
{
    [Fact]
    public async Task Translates_an_anthropic_messages_request_to_openai_like_extproc_does()
    {
        var (exit, output, error) = await RunAsync(FixtureFiles.Bytes("translate", "anthropic-messages.request.json"), "translate", "request", "--from", "anthropic", "--to", "openai");

        Assert.True(exit == 0, error);
        using var expected = JsonDocument.Parse(FixtureFiles.Text("translate", "openai-chat.expected.json"));
        using var actual = JsonDocument.Parse(output);
        Assert.True(JsonElement.DeepEquals(expected.RootElement, actual.RootElement), output);
    }

    [Fact]
    public async Task Passes_an_anthropic_messages_request_to_anthropic_unchanged()
    {
        var input = FixtureFiles.Bytes("translate", "anthropic-messages.request.json");

        var (exit, output, error) = await RunAsync(input, "translate", "request", "--from", "anthropic", "--to", "anthropic");

        Assert.True(exit == 0, error);
        using var expected = JsonDocument.Parse(input);
        using var actual = JsonDocument.Parse(output);
        Assert.True(JsonElement.DeepEquals(expected.RootElement, actual.RootElement), output);
    }

    [Fact]
    public async Task Translates_an_openai_stream_to_anthropic_events_for_a_messages_client()
    {
        var (exit, output, error) = await RunAsync(FixtureFiles.Bytes("translate", "openai.stream.sse"), "translate", "stream", "--from", "openai", "--to", "anthropic", "--model", "gpt-4o");

        Assert.True(exit == 0, error);
        Assert.StartsWith("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"chatcmpl-cli\"", output, StringComparison.Ordinal);
        Assert.Contains("\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}", output, StringComparison.Ordinal);
        Assert.Contains("\"stop_reason\":\"end_turn\"", output, StringComparison.Ordinal);
        Assert.Contains("\"usage\":{\"input_tokens\":5,\"output_tokens\":1", output, StringComparison.Ordinal);
        Assert.EndsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Translates_an_openai_response_to_an_anthropic_message()
    {
        var response = """{"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},"finish_reason":"length"}],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}""";

        var (exit, output, error) = await RunAsync(Encoding.UTF8.GetBytes(response), "translate", "response", "--from", "openai", "--to", "anthropic");

        Assert.True(exit == 0, error);
        using var message = JsonDocument.Parse(output);
        Assert.Equal("message", message.RootElement.GetProperty("type").GetString());
        Assert.Equal("Hello", message.RootElement.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("max_tokens", message.RootElement.GetProperty("stop_reason").GetString());
    }

    [Fact]
    public async Task Rejects_embeddings_for_anthropic_clients_with_exit_code_2()
    {
        var (exit, _, error) = await RunAsync("{}"u8.ToArray(), "translate", "request", "--from", "anthropic", "--to", "openai", "--endpoint", "embeddings");

        Assert.Equal(2, exit);
        Assert.Contains("anthropic clients only have the chat (Messages) endpoint", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("anthropic", "event: content_block_delta\ndata: {not json\n\n")]
    [InlineData("gemini", "data: {not json\r\n\r\n")]
    [InlineData("watsonx", "id: 1\nevent: message\ndata: {not json\n\n")]
    public async Task Exits_with_2_on_a_stream_with_malformed_events_after_writing_the_error_event(string from, string stream)
    {
        var (exit, output, error) = await RunAsync(Encoding.UTF8.GetBytes(stream), "translate", "stream", "--from", from, "--to", "openai");

        Assert.Equal(2, exit);
        Assert.Contains("could not be parsed", error, StringComparison.Ordinal);
        Assert.Contains("malformed stream event", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exits_with_2_on_a_corrupt_bedrock_event_stream()
    {
        var (exit, output, error) = await RunAsync([0, 0, 0, 32, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24], "translate", "stream", "--from", "aws-bedrock", "--to", "openai");

        Assert.Equal(2, exit);
        Assert.Contains("could not be parsed", error, StringComparison.Ordinal);
        Assert.Contains("corrupt event stream", output, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(byte[] input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var stdin = new MemoryStream(input);
        var exit = await AigwCommand.RunAsync(args, output, error, stdin);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Translates_an_openai_request_to_anthropic_like_extproc_does()
    {
        var (exit, output, error) = await RunAsync(FixtureFiles.Bytes("translate", "openai-chat.request.json"), "translate", "request", "--from", "openai", "--to", "anthropic");

        Assert.True(exit == 0, error);
        using var expected = JsonDocument.Parse(FixtureFiles.Text("translate", "anthropic-chat.expected.json"));
        using var actual = JsonDocument.Parse(output);
        Assert.True(JsonElement.DeepEquals(expected.RootElement, actual.RootElement), output);
    }

    [Fact]
    public async Task Translates_an_anthropic_stream_to_openai_sse_ending_with_done()
    {
        var (exit, output, _) = await RunAsync(FixtureFiles.Bytes("translate", "anthropic.stream.sse"), "translate", "stream", "--from", "anthropic", "--to", "openai", "--include-usage");

        Assert.Equal(0, exit);
        Assert.StartsWith("data: {\"id\":\"msg_02\",\"object\":\"chat.completion.chunk\"", output, StringComparison.Ordinal);
        Assert.Contains("\"finish_reason\":\"tool_calls\"", output, StringComparison.Ordinal);
        Assert.Contains("\"choices\":[],\"usage\":{\"prompt_tokens\":25", output, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Translates_an_openai_request_to_bedrock_converse()
    {
        var (exit, output, error) = await RunAsync(
            """{"model":"anthropic.claude-3-5-haiku-20241022-v1:0","max_tokens":64,"messages":[{"role":"system","content":"Be brief"},{"role":"user","content":"Hi"}]}"""u8.ToArray(),
            "translate", "request", "--from", "openai", "--to", "aws-bedrock");

        Assert.True(exit == 0, error);
        using var actual = JsonDocument.Parse(output);
        using var expected = JsonDocument.Parse("""{"messages":[{"role":"user","content":[{"text":"Hi"}]}],"system":[{"text":"Be brief"}],"inferenceConfig":{"maxTokens":64}}""");
        Assert.True(JsonElement.DeepEquals(expected.RootElement, actual.RootElement), output);
    }

    [Fact]
    public async Task Translates_a_binary_bedrock_event_stream_to_openai_sse()
    {
        var stream = new System.Buffers.ArrayBufferWriter<byte>();
        foreach (var (type, payload) in new[]
        {
            ("messageStart", """{"role":"assistant"}"""),
            ("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hello"}}"""),
            ("messageStop", """{"stopReason":"end_turn"}"""),
            ("metadata", """{"usage":{"inputTokens":3,"outputTokens":1,"totalTokens":4}}"""),
        })
        {
            Core.Streaming.EventStream.EventStreamDecoder.Encode(
                stream,
                [Core.Streaming.EventStream.EventStreamHeader.Text(":event-type", type), Core.Streaming.EventStream.EventStreamHeader.Text(":message-type", "event")],
                Encoding.UTF8.GetBytes(payload));
        }

        var (exit, output, _) = await RunAsync(stream.WrittenSpan.ToArray(), "translate", "stream", "--from", "aws-bedrock", "--to", "openai", "--include-usage", "--model", "m");

        Assert.Equal(0, exit);
        Assert.Contains("\"delta\":{\"content\":\"Hello\"}", output, StringComparison.Ordinal);
        Assert.Contains("\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4", output, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gemini")]
    [InlineData("vertex-ai")]
    public async Task Translates_an_openai_request_to_both_gemini_flavours(string schema)
    {
        var (exit, output, error) = await RunAsync(FixtureFiles.Bytes("translate", "openai-chat.request.json"), "translate", "request", "--from", "openai", "--to", schema);

        Assert.True(exit == 0, error);
        using var actual = JsonDocument.Parse(output);
        Assert.Equal("user", actual.RootElement.GetProperty("contents")[0].GetProperty("role").GetString());
    }

    [Fact]
    public async Task Translates_a_gemini_stream_to_openai_sse_ending_with_done()
    {
        var stream = "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hi\"}]},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":1}}\r\n\r\n"u8.ToArray();

        var (exit, output, _) = await RunAsync(stream, "translate", "stream", "--from", "gemini", "--to", "openai", "--include-usage");

        Assert.Equal(0, exit);
        Assert.Contains("\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"}", output, StringComparison.Ordinal);
        Assert.Contains("\"finish_reason\":\"stop\"", output, StringComparison.Ordinal);
        Assert.Contains("\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1", output, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("request", "--from", "openai", "--to", "nope", "unknown schema 'nope'")]
    [InlineData("response", "--from", "anthropic", "--to", "gemini", "the client side must be 'openai'")]
    public async Task Rejects_unknown_or_unsupported_schemas_with_exit_code_2(string kind, string from, string fromValue, string to, string toValue, string message)
    {
        var (exit, _, error) = await RunAsync("{}"u8.ToArray(), "translate", kind, from, fromValue, to, toValue);

        Assert.Equal(2, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_an_endpoint_the_target_has_no_translator_for_with_exit_code_2()
    {
        var (exit, _, error) = await RunAsync("{}"u8.ToArray(), "translate", "request", "--from", "openai", "--to", "anthropic", "--endpoint", "embeddings");

        Assert.Equal(2, exit);
        Assert.Contains("no embeddings translator between openai and 'anthropic'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("request", "openai", "anthropic", "{\"model\":")]
    [InlineData("response", "anthropic", "openai", "{not json")]
    public async Task Rejects_malformed_input_with_exit_code_2(string kind, string from, string to, string input)
    {
        var (exit, _, error) = await RunAsync(Encoding.UTF8.GetBytes(input), "translate", kind, "--from", from, "--to", to);

        Assert.Equal(2, exit);
        Assert.StartsWith("aigw translate:", error, StringComparison.Ordinal);
    }
}
