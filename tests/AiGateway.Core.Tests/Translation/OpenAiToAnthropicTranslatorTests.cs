using System.Buffers;
using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using AiGateway.Core.Configuration;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Tokens;
using AiGateway.Core.Translation;
using AiGateway.TestKit;
using Microsoft.Extensions.Time.Testing;

namespace AiGateway.Core.Tests.Translation;

public sealed class OpenAiToAnthropicTranslatorTests
{
    private const string Folder = "Translation/OpenAiToAnthropic";
    private static readonly FakeTimeProvider Clock = new(DateTimeOffset.FromUnixTimeSeconds(1731679200));

    private static readonly ProviderDefinition Anthropic = new()
    {
        Name = "anthropic",
        Schema = ApiSchema.Anthropic,
        Endpoint = new Uri("https://api.anthropic.com"),
        Authority = "api.anthropic.com",
        BasePath = string.Empty,
        ApiKey = new Secret("sk-ant-test"),
        Models = new[] { "claude-sonnet-4-5", "claude-haiku-4-5" }.ToFrozenSet(),
        Priority = 1,
        Index = 0,
        IsSupported = true,
    };

    public static TheoryData<string> RequestCases() => [.. FixtureFiles.Cases(Folder, ".request.json")];

    [Theory]
    [MemberData(nameof(RequestCases))]
    public void Translates_the_request(string name)
    {
        // Arrange
        var parsed = Parse(FixtureFiles.Bytes(Folder, name + ".request.json"));
        var body = new ArrayBufferWriter<byte>();

        // Act
        var upstream = new OpenAiToAnthropicTranslator(Clock).TranslateRequest(parsed, Anthropic, body);

        // Assert
        Assert.Null(upstream.Error);
        AssertJsonEqual(FixtureFiles.Text(Folder, name + ".expected.json"), Encoding.UTF8.GetString(body.WrittenSpan));
    }

    [Fact]
    public void Sends_the_api_key_and_version_to_the_messages_path()
    {
        var upstream = new OpenAiToAnthropicTranslator(Clock).TranslateRequest(Parse(FixtureFiles.Bytes(Folder, "minimal.request.json")), Anthropic, new ArrayBufferWriter<byte>());

        Assert.Equal("/v1/messages", upstream.Path);
        Assert.Contains(new KeyValuePair<string, string>("x-api-key", "sk-ant-test"), upstream.Headers);
        Assert.Contains(new KeyValuePair<string, string>("anthropic-version", "2023-06-01"), upstream.Headers);
        Assert.DoesNotContain(upstream.Headers, h => h.Key == "authorization");
    }

    [Theory]
    [InlineData("""{"model":"m","n":2,"messages":[{"role":"user","content":"x"}]}""", "n")]
    [InlineData("""{"model":"m","temperature":1.5,"messages":[{"role":"user","content":"x"}]}""", "temperature")]
    [InlineData("""{"model":"m","logprobs":true,"messages":[{"role":"user","content":"x"}]}""", "logprobs")]
    [InlineData("""{"model":"m","presence_penalty":0.5,"messages":[{"role":"user","content":"x"}]}""", "presence_penalty")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"x","format":"wav"}}]}]}""", "messages[0].content")]
    [InlineData("""{"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"not json"}}]}]}""", "messages[0].tool_calls")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/bmp;base64,AA=="}}]}]}""", "messages[0].content")]
    public void Rejects_what_anthropic_cannot_honour_with_a_400(string json, string param)
    {
        var upstream = new OpenAiToAnthropicTranslator(Clock).TranslateRequest(Parse(Encoding.UTF8.GetBytes(json)), Anthropic, new ArrayBufferWriter<byte>());

        Assert.NotNull(upstream.Error);
        Assert.Equal(400, upstream.Error.Status);
        Assert.Equal(param, upstream.Error.Param);
    }

    [Fact]
    public void Translates_a_response_with_text_tool_use_thinking_and_cached_usage()
    {
        using var translator = new OpenAiToAnthropicTranslator(Clock).CreateResponseTranslator(Parse("""{"model":"claude-sonnet-4-5","messages":[]}"""u8.ToArray()));
        var output = new ArrayBufferWriter<byte>();

        var headers = translator.OnHeaders(200, "application/json", false);
        var changed = translator.OnBody(FixtureFiles.Bytes(Folder, "text-and-tool.response.json"), true, output);

        Assert.False(headers.StreamBody);
        Assert.True(changed);
        AssertJsonEqual(FixtureFiles.Text(Folder, "text-and-tool.expected.json"), Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.Equal(new TokenUsage(42, 15, 57, 10, true) { CacheWriteInputTokens = 7 }, translator.Usage);
    }

    [Theory]
    [InlineData(false, "tool-stream.expected.sse")]
    [InlineData(true, "tool-stream.expected-with-usage.sse")]
    public void Translates_the_event_stream_at_every_split_offset(bool clientWantsUsage, string expectedFile)
    {
        var input = FixtureFiles.Bytes(Folder, "tool-stream.input.sse");
        var expected = FixtureFiles.Text(Folder, expectedFile);
        var request = clientWantsUsage
            ? """{"model":"claude-sonnet-4-5","stream":true,"stream_options":{"include_usage":true},"messages":[]}"""
            : """{"model":"claude-sonnet-4-5","stream":true,"messages":[]}""";
        for (var split = 0; split <= input.Length; split++)
        {
            using var translator = new OpenAiToAnthropicTranslator(Clock).CreateResponseTranslator(Parse(Encoding.UTF8.GetBytes(request)));
            var decision = translator.OnHeaders(200, "text/event-stream", false);
            var output = new ArrayBufferWriter<byte>();

            translator.OnBody(input.AsSpan(0, split), false, output);
            translator.OnBody(input.AsSpan(split), true, output);

            Assert.True(decision.StreamBody);
            Assert.Equal(expected, Encoding.UTF8.GetString(output.WrittenSpan));
            Assert.Equal(new TokenUsage(25, 12, 37, 5, true), translator.Usage);
        }
    }

    public static TheoryData<string> ErrorCases() => [.. FixtureFiles.Cases(Folder, ".error.json")];

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void Turns_anthropic_errors_into_openai_errors_with_the_status_kept(string name)
    {
        var status = int.Parse(name[..name.IndexOf('-', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
        using var translator = new OpenAiToAnthropicTranslator(Clock).CreateResponseTranslator(Parse("""{"model":"claude-sonnet-4-5","messages":[]}"""u8.ToArray()));
        var output = new ArrayBufferWriter<byte>();

        translator.OnHeaders(status, "application/json", false);
        var changed = translator.OnBody(FixtureFiles.Bytes(Folder, name + ".error.json"), true, output);

        Assert.True(changed);
        Assert.Null(translator.StatusOverride);
        AssertJsonEqual(FixtureFiles.Text(Folder, name + ".expected-error.json"), Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Returns_the_json_mode_tools_input_as_the_message_content()
    {
        using var translator = new OpenAiToAnthropicTranslator(Clock).CreateResponseTranslator(Parse(FixtureFiles.Bytes(Folder, "json-schema.request.json")));
        var output = new ArrayBufferWriter<byte>();

        translator.OnHeaders(200, "application/json", false);
        translator.OnBody(FixtureFiles.Bytes(Folder, "json-mode.response.json"), true, output);

        AssertJsonEqual(FixtureFiles.Text(Folder, "json-mode.expected.json"), Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Streams_the_json_mode_tools_input_as_content_at_every_split_offset()
    {
        var input = FixtureFiles.Bytes(Folder, "json-mode.input.sse");
        var expected = FixtureFiles.Text(Folder, "json-mode.expected.sse");
        var request = """{"model":"claude-sonnet-4-5","stream":true,"response_format":{"type":"json_object"},"messages":[]}"""u8.ToArray();
        for (var split = 0; split <= input.Length; split++)
        {
            using var translator = new OpenAiToAnthropicTranslator(Clock).CreateResponseTranslator(Parse(request));
            translator.OnHeaders(200, "text/event-stream", false);
            var output = new ArrayBufferWriter<byte>();

            translator.OnBody(input.AsSpan(0, split), false, output);
            translator.OnBody(input.AsSpan(split), true, output);

            Assert.Equal(expected, Encoding.UTF8.GetString(output.WrittenSpan));
        }
    }

    [Fact]
    public void Refuses_a_json_schema_that_is_not_an_object_for_anthropic()
    {
        var request = Parse("""{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema","json_schema":{"name":"list","schema":{"type":"array"}}}}"""u8.ToArray());

        var upstream = new OpenAiToAnthropicTranslator(Clock).TranslateRequest(request, Anthropic, new ArrayBufferWriter<byte>());

        Assert.NotNull(upstream.Error);
        Assert.Equal("response_format", upstream.Error.Param);
    }

    [Fact]
    public void Ends_a_stream_that_stopped_without_message_stop_with_done()
    {
        using var translator = new OpenAiToAnthropicTranslator(Clock).CreateResponseTranslator(Parse("""{"model":"m","stream":true,"messages":[]}"""u8.ToArray()));
        translator.OnHeaders(200, "text/event-stream", false);
        var output = new ArrayBufferWriter<byte>();

        translator.OnBody("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_3\",\"model\":\"m\",\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}\n\n"u8, true, output);

        Assert.EndsWith("data: [DONE]\n\n", Encoding.UTF8.GetString(output.WrittenSpan), StringComparison.Ordinal);
    }

    [Fact]
    public void Turns_a_mid_stream_error_event_into_an_openai_error_line()
    {
        using var translator = new OpenAiToAnthropicTranslator(Clock).CreateResponseTranslator(Parse("""{"model":"m","stream":true,"messages":[]}"""u8.ToArray()));
        translator.OnHeaders(200, "text/event-stream", false);
        var output = new ArrayBufferWriter<byte>();

        translator.OnBody("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"u8, true, output);

        Assert.Equal("data: {\"error\":{\"message\":\"Overloaded\",\"type\":\"server_error\",\"param\":null,\"code\":\"overloaded_error\"}}\n\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData("""{"content":[{"type":"text"}]}""")]
    [InlineData("not json")]
    [InlineData("""{"content":[{"type":"tool_use","name":"f"}]}""")]
    public void Answers_a_malformed_provider_response_with_a_502_openai_error(string body)
    {
        using var translator = new OpenAiToAnthropicTranslator(Clock).CreateResponseTranslator(Parse("""{"model":"m","messages":[]}"""u8.ToArray()));
        var output = new ArrayBufferWriter<byte>();

        translator.OnHeaders(200, "application/json", false);
        var changed = translator.OnBody(Encoding.UTF8.GetBytes(body), true, output);

        Assert.True(changed);
        Assert.Equal(502, translator.StatusOverride);
        Assert.Equal("""{"error":{"message":"The provider's response could not be read.","type":"server_error","param":null,"code":"bad_provider_response"}}""", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Ends_the_stream_with_an_error_line_when_an_event_is_malformed()
    {
        using var translator = new OpenAiToAnthropicTranslator(Clock).CreateResponseTranslator(Parse("""{"model":"m","stream":true,"messages":[]}"""u8.ToArray()));
        translator.OnHeaders(200, "text/event-stream", false);
        var output = new ArrayBufferWriter<byte>();

        translator.OnBody("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"u8, true, output);

        Assert.Equal("data: {\"error\":{\"message\":\"The provider sent a malformed stream event.\",\"type\":\"server_error\",\"param\":null,\"code\":\"bad_provider_response\"}}\n\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData(429, "rate_limit_error", "rate_limit_error")]
    [InlineData(529, "overloaded_error", "server_error")]
    [InlineData(400, "invalid_request_error", "invalid_request_error")]
    public void Maps_anthropic_errors_to_openai_errors_with_the_same_status(int status, string anthropicType, string openAiType)
    {
        using var translator = new OpenAiToAnthropicTranslator(Clock).CreateResponseTranslator(Parse("""{"model":"m","messages":[]}"""u8.ToArray()));
        var output = new ArrayBufferWriter<byte>();

        translator.OnHeaders(status, "application/json", false);
        translator.OnBody(Encoding.UTF8.GetBytes($$$"""{"type":"error","error":{"type":"{{{anthropicType}}}","message":"Nope"},"request_id":"req_1"}"""), true, output);

        Assert.Equal($$$"""{"error":{"message":"Nope","type":"{{{openAiType}}}","param":null,"code":"{{{anthropicType}}}"}}""", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData(503, """{"error":{"message":"upstream connect error or disconnect/reset before headers","type":"server_error","param":null,"code":"upstream_reset"}}""")]
    [InlineData(413, """{"error":{"type":"invalid_request_error","param":null,"code":"request_too_large"}}""")]
    [InlineData(502, "{\"error\":{\"message\":\"truncated\",\"type\":\"server_error\"")]
    [InlineData(500, """{"error":{"message":42}}""")]
    public void Passes_an_error_body_that_already_is_openai_error_json_through_unchanged(int status, string body)
    {
        using var translator = new OpenAiToAnthropicTranslator(Clock).CreateResponseTranslator(Parse("""{"model":"m","messages":[]}"""u8.ToArray()));
        var output = new ArrayBufferWriter<byte>();

        translator.OnHeaders(status, "application/json", false);
        var changed = translator.OnBody(Encoding.UTF8.GetBytes(body), true, output);

        Assert.False(changed);
        Assert.Equal(0, output.WrittenCount);
        Assert.Null(translator.StatusOverride);
    }

    [Theory]
    [InlineData("""["error"]""")]
    [InlineData("\"Bad gateway\"")]
    public void Normalises_an_odd_error_body_instead_of_failing(string body)
    {
        using var translator = new OpenAiToAnthropicTranslator(Clock).CreateResponseTranslator(Parse("""{"model":"m","messages":[]}"""u8.ToArray()));
        var output = new ArrayBufferWriter<byte>();

        translator.OnHeaders(502, "application/json", false);
        var changed = translator.OnBody(Encoding.UTF8.GetBytes(body), true, output);

        Assert.True(changed);
        Assert.StartsWith("""{"error":{"message":"The upstream returned HTTP 502""", Encoding.UTF8.GetString(output.WrittenSpan), StringComparison.Ordinal);
    }

    private static ParsedRequest Parse(byte[] json) =>
        OpenAiRequestReader.Read(EndpointKind.ChatCompletions, json, out var error) ?? throw new InvalidOperationException(error!.Message);

    private static void AssertJsonEqual(string expected, string actual)
    {
        using var e = JsonDocument.Parse(expected);
        using var a = JsonDocument.Parse(actual);
        Assert.True(JsonElement.DeepEquals(e.RootElement, a.RootElement), $"expected:\n{expected}\nactual:\n{actual}");
    }
}
