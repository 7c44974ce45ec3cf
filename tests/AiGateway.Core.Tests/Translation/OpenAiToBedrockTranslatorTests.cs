using System.Buffers;
using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using AiGateway.Core.Configuration;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Streaming.EventStream;
using AiGateway.Core.Tokens;
using AiGateway.Core.Translation;
using AiGateway.TestKit;
using Microsoft.Extensions.Time.Testing;

namespace AiGateway.Core.Tests.Translation;

public sealed class OpenAiToBedrockTranslatorTests
{
    private const string Folder = "Translation/OpenAiToBedrock";
    private const string Model = "anthropic.claude-3-5-haiku-20241022-v1:0";
    private const string RequestId = "5f1c0a3e-8a0e-4c55-9b3f-6c1d1f2a7b10";
    private static readonly FakeTimeProvider Clock = new(DateTimeOffset.FromUnixTimeSeconds(1731679200));

    public static TheoryData<string> RequestCases() => [.. FixtureFiles.Cases(Folder, ".request.json")];

    public static TheoryData<string> ResponseCases() => [.. FixtureFiles.Cases(Folder, ".response.json")];

    public static TheoryData<string> ErrorCases() => [.. FixtureFiles.Cases(Folder, ".error.json")];

    [Theory]
    [MemberData(nameof(RequestCases))]
    public void Translates_the_request(string name)
    {
        // Arrange
        var parsed = Parse(FixtureFiles.Bytes(Folder, name + ".request.json"));
        var body = new ArrayBufferWriter<byte>();

        // Act
        var upstream = new OpenAiToBedrockTranslator(Clock).TranslateRequest(parsed, Bedrock(), body);

        // Assert
        Assert.Null(upstream.Error);
        AssertJsonEqual(FixtureFiles.Text(Folder, name + ".expected.json"), Encoding.UTF8.GetString(body.WrittenSpan));
    }

    [Theory]
    [InlineData(false, Model, "/model/anthropic.claude-3-5-haiku-20241022-v1:0/converse")]
    [InlineData(true, Model, "/model/anthropic.claude-3-5-haiku-20241022-v1:0/converse-stream")]
    [InlineData(false, "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0", "/model/arn:aws:bedrock:us-east-1:123456789012:inference-profile%2Fus.anthropic.claude-3-5-haiku-20241022-v1:0/converse")]
    public void Puts_the_percent_encoded_model_id_in_the_converse_path(bool stream, string model, string path)
    {
        var json = $$"""{"model":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"x"}]}""";

        var upstream = new OpenAiToBedrockTranslator(Clock).TranslateRequest(Parse(Encoding.UTF8.GetBytes(json)), Bedrock(), new ArrayBufferWriter<byte>());

        Assert.Equal(path, upstream.Path);
    }

    [Fact]
    public void Keeps_the_endpoint_path_prefix()
    {
        var provider = Bedrock(endpoint: "http://mock-provider:8080/bedrock");

        var upstream = new OpenAiToBedrockTranslator(Clock).TranslateRequest(Parse(FixtureFiles.Bytes(Folder, "minimal.request.json")), provider, new ArrayBufferWriter<byte>());

        Assert.Equal("/bedrock/model/anthropic.claude-3-5-haiku-20241022-v1:0/converse", upstream.Path);
    }

    [Fact]
    public void Sends_a_bedrock_api_key_as_a_bearer_token()
    {
        var upstream = new OpenAiToBedrockTranslator(Clock).TranslateRequest(Parse(FixtureFiles.Bytes(Folder, "minimal.request.json")), Bedrock(apiKey: "ABSKbedrock-key"), new ArrayBufferWriter<byte>());

        Assert.Contains(new KeyValuePair<string, string>("authorization", "Bearer ABSKbedrock-key"), upstream.Headers);
        Assert.Contains(new KeyValuePair<string, string>("content-type", "application/json"), upstream.Headers);
    }

    [Fact]
    public void Leaves_authorization_to_the_signer_with_sigv4()
    {
        var provider = Bedrock(apiKey: "ignored", auth: new ProviderAuth { Kind = ProviderAuthKind.AwsSigV4, AccessKeyId = new Secret("AKID"), SecretAccessKey = new Secret("secret") });

        var upstream = new OpenAiToBedrockTranslator(Clock).TranslateRequest(Parse(FixtureFiles.Bytes(Folder, "minimal.request.json")), provider, new ArrayBufferWriter<byte>());

        Assert.DoesNotContain(upstream.Headers, h => h.Key == "authorization");
    }

    [Theory]
    [InlineData("""{"model":"m","n":2,"messages":[{"role":"user","content":"x"}]}""", "n")]
    [InlineData("""{"model":"m","logprobs":true,"messages":[{"role":"user","content":"x"}]}""", "logprobs")]
    [InlineData("""{"model":"m","top_logprobs":2,"messages":[{"role":"user","content":"x"}]}""", "top_logprobs")]
    [InlineData("""{"model":"m","temperature":1.5,"messages":[{"role":"user","content":"x"}]}""", "temperature")]
    [InlineData("""{"model":"m","frequency_penalty":0.5,"messages":[{"role":"user","content":"x"}]}""", "frequency_penalty")]
    [InlineData("""{"model":"m","logit_bias":{"50256":-100},"messages":[{"role":"user","content":"x"}]}""", "logit_bias")]
    [InlineData("""{"model":"m","seed":7,"messages":[{"role":"user","content":"x"}]}""", "seed")]
    [InlineData("""{"model":"m","response_format":{"type":"json_schema","json_schema":{"name":"x"}},"messages":[{"role":"user","content":"x"}]}""", "response_format")]
    [InlineData("""{"model":"m","response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"array"}}},"messages":[{"role":"user","content":"x"}]}""", "response_format")]
    [InlineData("""{"model":"m","modalities":["text","audio"],"messages":[{"role":"user","content":"x"}]}""", "modalities")]
    [InlineData("""{"model":"m","parallel_tool_calls":false,"tools":[{"type":"function","function":{"name":"f"}}],"messages":[{"role":"user","content":"x"}]}""", "parallel_tool_calls")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}]}""", "messages[0].content")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/bmp;base64,AA=="}}]}]}""", "messages[0].content")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"x","format":"wav"}}]}]}""", "messages[0].content")]
    [InlineData("""{"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"not json"}}]}]}""", "messages[0].tool_calls")]
    [InlineData("""{"model":"m","messages":[{"role":"critic","content":"x"}]}""", "messages[0].role")]
    public void Rejects_what_converse_cannot_honour_with_a_400(string json, string param)
    {
        var body = new ArrayBufferWriter<byte>();

        var upstream = new OpenAiToBedrockTranslator(Clock).TranslateRequest(Parse(Encoding.UTF8.GetBytes(json)), Bedrock(), body);

        Assert.NotNull(upstream.Error);
        Assert.Equal(400, upstream.Error.Status);
        Assert.Equal(param, upstream.Error.Param);
        Assert.Equal(0, body.WrittenCount);
    }

    [Theory]
    [MemberData(nameof(ResponseCases))]
    public void Translates_the_response(string name)
    {
        using var translator = ResponseTranslator(stream: false, clientWantsUsage: false);
        var output = new ArrayBufferWriter<byte>();

        var headers = translator.OnHeaders(200, "application/json", false);
        var changed = translator.OnBody(FixtureFiles.Bytes(Folder, name + ".response.json"), true, output);

        Assert.False(headers.StreamBody);
        Assert.True(changed);
        Assert.Null(translator.StatusOverride);
        AssertJsonEqual(FixtureFiles.Text(Folder, name + ".expected.json"), Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Reports_usage_with_cache_reads_and_writes_in_the_prompt()
    {
        using var translator = ResponseTranslator(stream: false, clientWantsUsage: false);
        translator.OnHeaders(200, "application/json", false);

        translator.OnBody(FixtureFiles.Bytes(Folder, "text-and-tool.response.json"), true, new ArrayBufferWriter<byte>());

        Assert.Equal(new TokenUsage(1797, 401, 2198, 5, true) { CacheWriteInputTokens = 1789 }, translator.Usage);
    }

    [Theory]
    [InlineData(false, "tool-stream.expected.sse")]
    [InlineData(true, "tool-stream.expected-with-usage.sse")]
    public void Translates_the_event_stream_at_every_split_offset(bool clientWantsUsage, string expectedFile)
    {
        var input = EventStreamFixture.Encode(FixtureFiles.Text(Folder, "tool-stream.events.jsonl"));
        var expected = FixtureFiles.Text(Folder, expectedFile);
        for (var split = 0; split <= input.Length; split++)
        {
            using var translator = ResponseTranslator(stream: true, clientWantsUsage);
            var decision = translator.OnHeaders(200, "application/vnd.amazon.eventstream", false);
            var output = new ArrayBufferWriter<byte>();

            translator.OnBody(input.AsSpan(0, split), false, output);
            translator.OnBody(input.AsSpan(split), true, output);

            Assert.True(decision.StreamBody);
            Assert.Equal("text/event-stream", decision.ContentType);
            Assert.Equal(expected, Encoding.UTF8.GetString(output.WrittenSpan));
            Assert.Equal(new TokenUsage(28, 12, 40, 5, true) { CacheWriteInputTokens = 3 }, translator.Usage);
        }
    }

    [Fact]
    public void Returns_the_json_mode_tools_input_as_the_message_content()
    {
        using var translator = JsonModeResponseTranslator(stream: false);
        var output = new ArrayBufferWriter<byte>();

        translator.OnHeaders(200, "application/json", false);
        translator.OnBody(FixtureFiles.Bytes(Folder, "json-mode.converse.json"), true, output);

        Assert.Null(translator.StatusOverride);
        AssertJsonEqual(FixtureFiles.Text(Folder, "json-mode.expected-completion.json"), Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Keeps_a_client_tool_call_in_json_mode_as_a_tool_call()
    {
        using var translator = JsonModeResponseTranslator(stream: false);
        var output = new ArrayBufferWriter<byte>();

        translator.OnHeaders(200, "application/json", false);
        translator.OnBody(FixtureFiles.Bytes(Folder, "text-and-tool.response.json"), true, output);

        AssertJsonEqual(FixtureFiles.Text(Folder, "text-and-tool.expected.json"), Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Streams_the_json_mode_tools_input_as_content_at_every_split_offset()
    {
        var input = EventStreamFixture.Encode(FixtureFiles.Text(Folder, "json-mode.events.jsonl"));
        var expected = FixtureFiles.Text(Folder, "json-mode.expected.sse");
        for (var split = 0; split <= input.Length; split++)
        {
            using var translator = JsonModeResponseTranslator(stream: true);
            translator.OnHeaders(200, "application/vnd.amazon.eventstream", false);
            var output = new ArrayBufferWriter<byte>();

            translator.OnBody(input.AsSpan(0, split), false, output);
            translator.OnBody(input.AsSpan(split), true, output);

            Assert.Equal(expected, Encoding.UTF8.GetString(output.WrittenSpan));
            Assert.Equal(new TokenUsage(50, 12, 62, 0, true), translator.Usage);
        }
    }

    [Fact]
    public void Refuses_a_client_tool_named_like_the_json_mode_tool()
    {
        var json = """{"model":"m","response_format":{"type":"json_object"},"tools":[{"type":"function","function":{"name":"json_response"}}],"messages":[{"role":"user","content":"x"}]}""";

        var upstream = new OpenAiToBedrockTranslator(Clock).TranslateRequest(Parse(Encoding.UTF8.GetBytes(json)), Bedrock(), new ArrayBufferWriter<byte>());

        Assert.NotNull(upstream.Error);
        Assert.Equal("tools", upstream.Error.Param);
    }

    [Fact]
    public void Turns_an_exception_inside_the_stream_into_an_openai_error_event_at_every_split_offset()
    {
        var input = EventStreamFixture.Encode(FixtureFiles.Text(Folder, "exception-stream.events.jsonl"));
        var expected = FixtureFiles.Text(Folder, "exception-stream.expected.sse");
        for (var split = 0; split <= input.Length; split++)
        {
            using var translator = ResponseTranslator(stream: true, clientWantsUsage: true);
            translator.OnHeaders(200, "application/vnd.amazon.eventstream", false);
            var output = new ArrayBufferWriter<byte>();

            translator.OnBody(input.AsSpan(0, split), false, output);
            translator.OnBody(input.AsSpan(split), true, output);

            Assert.Equal(expected, Encoding.UTF8.GetString(output.WrittenSpan));
        }
    }

    [Fact]
    public void Ends_a_stream_that_stopped_without_metadata_with_done()
    {
        var input = EventStreamFixture.Encode(FixtureFiles.Text(Folder, "tool-stream.events.jsonl").Split('\n')[0]);
        using var translator = ResponseTranslator(stream: true, clientWantsUsage: false);
        translator.OnHeaders(200, "application/vnd.amazon.eventstream", false);
        var output = new ArrayBufferWriter<byte>();

        translator.OnBody(input, true, output);

        Assert.EndsWith("}\n\ndata: [DONE]\n\n", Encoding.UTF8.GetString(output.WrittenSpan), StringComparison.Ordinal);
    }

    [Fact]
    public void Ends_the_stream_with_an_error_event_when_a_frame_fails_its_crc()
    {
        var input = EventStreamFixture.Encode(FixtureFiles.Text(Folder, "tool-stream.events.jsonl"));
        input[^10] ^= 0x20;
        using var translator = ResponseTranslator(stream: true, clientWantsUsage: false);
        translator.OnHeaders(200, "application/vnd.amazon.eventstream", false);
        var output = new ArrayBufferWriter<byte>();

        translator.OnBody(input, true, output);

        var text = Encoding.UTF8.GetString(output.WrittenSpan);
        Assert.EndsWith("data: {\"error\":{\"message\":\"The provider sent a corrupt event stream.\",\"type\":\"server_error\",\"param\":null,\"code\":\"bad_provider_response\"}}\n\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Ends_the_stream_with_an_error_event_when_an_event_is_malformed()
    {
        var input = EventStreamFixture.Encode("""{"headers":{":event-type":"contentBlockDelta",":message-type":"event"},"payload":{"contentBlockIndex":0,"delta":[]}}""");
        using var translator = ResponseTranslator(stream: true, clientWantsUsage: false);
        translator.OnHeaders(200, "application/vnd.amazon.eventstream", false);
        var output = new ArrayBufferWriter<byte>();

        translator.OnBody(input, true, output);

        Assert.Equal("data: {\"error\":{\"message\":\"The provider sent a malformed stream event.\",\"type\":\"server_error\",\"param\":null,\"code\":\"bad_provider_response\"}}\n\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData("""{"output":{"message":{"content":[{"toolUse":{"name":"f"}}]}},"stopReason":"tool_use"}""")]
    [InlineData("not json")]
    [InlineData("""{"usage":{"inputTokens":1}}""")]
    public void Answers_a_malformed_provider_response_with_a_502_openai_error(string body)
    {
        using var translator = ResponseTranslator(stream: false, clientWantsUsage: false);
        var output = new ArrayBufferWriter<byte>();

        translator.OnHeaders(200, "application/json", false);
        translator.OnBody(Encoding.UTF8.GetBytes(body), true, output);

        Assert.Equal(502, translator.StatusOverride);
        Assert.Equal("""{"error":{"message":"The provider's response could not be read.","type":"server_error","param":null,"code":"bad_provider_response"}}""", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void Maps_bedrock_errors_to_openai_errors_with_the_same_status(string name)
    {
        using var error = JsonDocument.Parse(FixtureFiles.Text(Folder, name + ".error.json"));
        var root = error.RootElement;
        var headers = root.GetProperty("headers").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        var body = root.GetProperty("body");
        using var translator = ResponseTranslator(stream: true, clientWantsUsage: false);
        var output = new ArrayBufferWriter<byte>();

        translator.OnResponseHeaders(n => headers.GetValueOrDefault(n));
        var decision = translator.OnHeaders(root.GetProperty("status").GetInt32(), "application/json", false);
        translator.OnBody(Encoding.UTF8.GetBytes(body.ValueKind == JsonValueKind.String ? body.GetString()! : body.GetRawText()), true, output);

        Assert.False(decision.StreamBody);
        Assert.Null(translator.StatusOverride);
        AssertJsonEqual(FixtureFiles.Text(Folder, name + ".expected-error.json"), Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Answers_an_error_without_a_body_with_its_bedrock_name()
    {
        using var translator = ResponseTranslator(stream: false, clientWantsUsage: false);
        translator.OnResponseHeaders(n => n == "x-amzn-errortype" ? "ThrottlingException" : null);

        var decision = translator.OnHeaders(429, null, true);

        Assert.Equal("""{"error":{"message":"The provider answered 429 ThrottlingException.","type":"rate_limit_error","param":null,"code":"ThrottlingException"}}""", Encoding.UTF8.GetString(decision.ReplacementBody!));
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("model_context_window_exceeded", "length")]
    [InlineData("tool_use", "tool_calls")]
    [InlineData("content_filtered", "content_filter")]
    [InlineData("guardrail_intervened", "content_filter")]
    [InlineData("malformed_model_output", "stop")]
    [InlineData("malformed_tool_use", "stop")]
    [InlineData("something_new", "stop")]
    [InlineData(null, "stop")]
    public void Maps_stop_reasons_to_finish_reasons(string? stopReason, string finishReason) =>
        Assert.Equal(finishReason, BedrockResponseTranslator.FinishReason(stopReason));

    [Fact]
    public void Is_registered_for_chat_and_embeddings()
    {
        var registry = new TranslatorRegistry();

        Assert.True(registry.TryGet(EndpointKind.ChatCompletions, ApiSchema.AwsBedrock, out var chat));
        Assert.IsType<OpenAiToBedrockTranslator>(chat);
        Assert.True(registry.TryGet(EndpointKind.Embeddings, ApiSchema.AwsBedrock, out var embeddings));
        Assert.IsType<OpenAiToBedrockEmbeddingsTranslator>(embeddings);
    }

    internal static ProviderDefinition Bedrock(string endpoint = "https://bedrock-runtime.us-east-1.amazonaws.com", string apiKey = "", ProviderAuth? auth = null)
    {
        var uri = new Uri(endpoint);
        return new ProviderDefinition
        {
            Name = "bedrock",
            Schema = ApiSchema.AwsBedrock,
            Endpoint = uri,
            Authority = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}",
            BasePath = uri.AbsolutePath.TrimEnd('/'),
            ApiKey = new Secret(apiKey),
            Models = new[] { Model }.ToFrozenSet(),
            Priority = 1,
            Index = 0,
            IsSupported = true,
            Region = "us-east-1",
            Auth = auth ?? ProviderAuth.ApiKey,
        };
    }

    internal static ParsedRequest Parse(byte[] json, EndpointKind endpoint = EndpointKind.ChatCompletions) =>
        OpenAiRequestReader.Read(endpoint, json, out var error) ?? throw new InvalidOperationException(error!.Message);

    internal static void AssertJsonEqual(string expected, string actual)
    {
        using var e = JsonDocument.Parse(expected);
        using var a = JsonDocument.Parse(actual);
        Assert.True(JsonElement.DeepEquals(e.RootElement, a.RootElement), $"expected:\n{expected}\nactual:\n{actual}");
    }

    private static IResponseTranslator JsonModeResponseTranslator(bool stream)
    {
        var json = $$"""{"model":"{{Model}}","stream":{{(stream ? "true" : "false")}},"response_format":{"type":"json_object"},"messages":[]}""";
        var translator = new OpenAiToBedrockTranslator(Clock).CreateResponseTranslator(Parse(Encoding.UTF8.GetBytes(json)));
        translator.OnResponseHeaders(n => n == "x-amzn-requestid" ? RequestId : null);
        return translator;
    }

    private static IResponseTranslator ResponseTranslator(bool stream, bool clientWantsUsage)
    {
        var json = $$"""{"model":"{{Model}}","stream":{{(stream ? "true" : "false")}}{{(clientWantsUsage ? ""","stream_options":{"include_usage":true}""" : string.Empty)}},"messages":[]}""";
        var translator = new OpenAiToBedrockTranslator(Clock).CreateResponseTranslator(Parse(Encoding.UTF8.GetBytes(json)));
        translator.OnResponseHeaders(n => n == "x-amzn-requestid" ? RequestId : null);
        return translator;
    }
}

/// <summary>Encodes an event-stream fixture: one JSON line per frame, <c>{"headers":{name:string},"payload":{...}}</c>.</summary>
internal static class EventStreamFixture
{
    public static byte[] Encode(string jsonLines)
    {
        var output = new ArrayBufferWriter<byte>();
        foreach (var line in jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            using var frame = JsonDocument.Parse(line);
            var headers = frame.RootElement.GetProperty("headers").EnumerateObject().Select(h => EventStreamHeader.Text(h.Name, h.Value.GetString()!)).ToArray();
            var payload = Encoding.UTF8.GetBytes(frame.RootElement.GetProperty("payload").GetRawText());
            EventStreamDecoder.Encode(output, headers, payload);
        }

        return output.WrittenSpan.ToArray();
    }
}
