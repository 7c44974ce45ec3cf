using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AiGateway.Core.Configuration;
using AiGateway.Core.Schemas.Anthropic;
using AiGateway.Core.Tokens;
using AiGateway.Core.Translation;
using AiGateway.TestKit;

namespace AiGateway.Core.Tests.Translation;

public sealed class AnthropicToOpenAiTranslatorTests
{
    private const string Folder = "Translation/AnthropicToOpenAi";

    private static readonly ProviderDefinition OpenAi = Provider("openai", ApiSchema.OpenAi, "/v1");
    private static readonly ProviderDefinition Vllm = Provider("vllm", ApiSchema.OpenAiCompatible, "/compat/v1");

    private static AnthropicToOpenAiTranslator Translator => new(new OpenAiToOpenAiTranslator(EndpointKind.ChatCompletions));

    public static TheoryData<string> RequestCases() => [.. FixtureFiles.Cases(Folder, ".request.json")];

    public static TheoryData<string> ResponseCases() => [.. FixtureFiles.Cases(Folder, ".response.json")];

    public static TheoryData<string> StreamCases() => [.. FixtureFiles.Cases(Folder, ".input.sse")];

    public static TheoryData<string> ErrorCases() => [.. FixtureFiles.Cases(Folder, ".error.txt")];

    [Theory]
    [MemberData(nameof(RequestCases))]
    public void Translates_the_request_to_an_openai_chat_request(string name)
    {
        // Arrange
        var parsed = Parse(FixtureFiles.Bytes(Folder, name + ".request.json"));
        var body = new ArrayBufferWriter<byte>();

        // Act
        var upstream = Translator.TranslateRequest(parsed, OpenAi, body);

        // Assert
        Assert.Null(upstream.Error);
        Assert.Equal("/v1/chat/completions", upstream.Path);
        Assert.Contains(new KeyValuePair<string, string>("authorization", "Bearer sk-test"), upstream.Headers);
        AssertJsonEqual(FixtureFiles.Text(Folder, name + ".expected.json"), Encoding.UTF8.GetString(body.WrittenSpan));
    }

    [Theory]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="}}]}]}""", "messages.0.content")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"}],"tools":[{"type":"web_search_20250305","name":"web_search"}]}""", "tools")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"}],"container":"c_1"}""", "container")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"image","source":{"type":"url","url":"https://x/y.png"}}]}]}]}""", "messages.0.content")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/bmp","data":"AA=="}}]}]}""", "messages.0.content")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"system","content":"x"}]}""", "messages.0.role")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"}],"thinking":{"type":"sometimes"}}""", "thinking")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"}],"tool_choice":{"type":"required"}}""", "tool_choice")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"}],"top_k":5}""", "top_k")]
    public void Rejects_what_openai_format_providers_cannot_take_with_a_400(string json, string param)
    {
        var upstream = Translator.TranslateRequest(Parse(Encoding.UTF8.GetBytes(json)), OpenAi, new ArrayBufferWriter<byte>());

        Assert.NotNull(upstream.Error);
        Assert.Equal(400, upstream.Error.Status);
        Assert.Equal(param, upstream.Error.Param);
    }

    [Fact]
    public void Sends_top_k_to_openai_compatible_providers_as_an_extension_field()
    {
        var body = new ArrayBufferWriter<byte>();

        var upstream = Translator.TranslateRequest(Parse("""{"model":"m","max_tokens":5,"top_k":40,"messages":[{"role":"user","content":"x"}]}"""u8.ToArray()), Vllm, body);

        Assert.Null(upstream.Error);
        Assert.Equal("/compat/v1/chat/completions", upstream.Path);
        using var json = JsonDocument.Parse(body.WrittenMemory);
        Assert.Equal(40, json.RootElement.GetProperty("top_k").GetInt32());
    }

    [Theory]
    [InlineData(1024, "low")]
    [InlineData(4096, "medium")]
    [InlineData(16384, "high")]
    public void Maps_a_thinking_budget_to_a_reasoning_effort(int budget, string effort)
    {
        var body = new ArrayBufferWriter<byte>();
        var json = $$"""{"model":"m","max_tokens":32000,"thinking":{"type":"enabled","budget_tokens":{{budget}}},"messages":[{"role":"user","content":"x"}]}""";

        Translator.TranslateRequest(Parse(Encoding.UTF8.GetBytes(json)), OpenAi, body);

        using var document = JsonDocument.Parse(body.WrittenMemory);
        Assert.Equal(effort, document.RootElement.GetProperty("reasoning_effort").GetString());
    }

    [Fact]
    public void Translates_every_attempt_from_the_one_chat_form_of_the_request()
    {
        var parsed = Parse(FixtureFiles.Bytes(Folder, "minimal.request.json"));
        var first = new ArrayBufferWriter<byte>();
        var second = new ArrayBufferWriter<byte>();

        Translator.TranslateRequest(parsed, OpenAi, first);
        Translator.TranslateRequest(parsed, Vllm, second);

        Assert.Same(AnthropicToOpenAiTranslator.FormOf(parsed), AnthropicToOpenAiTranslator.FormOf(parsed));
        Assert.Equal(Encoding.UTF8.GetString(first.WrittenSpan), Encoding.UTF8.GetString(second.WrittenSpan));
    }

    [Theory]
    [MemberData(nameof(ResponseCases))]
    public void Translates_the_response_to_an_anthropic_message(string name)
    {
        // Arrange
        using var translator = Translator.CreateResponseTranslator(Parse("""{"model":"gpt-4o","max_tokens":10,"messages":[]}"""u8.ToArray()));
        var output = new ArrayBufferWriter<byte>();

        // Act
        var headers = translator.OnHeaders(200, "application/json", false);
        var changed = translator.OnBody(FixtureFiles.Bytes(Folder, name + ".response.json"), true, output);

        // Assert
        Assert.False(headers.StreamBody);
        Assert.Equal("application/json", headers.ContentType);
        Assert.True(changed);
        Assert.Null(translator.StatusOverride);
        AssertJsonEqual(FixtureFiles.Text(Folder, name + ".expected.json"), Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Keeps_usage_in_openai_terms_for_the_gateways_metadata()
    {
        using var translator = Translator.CreateResponseTranslator(Parse("""{"model":"gpt-4o","max_tokens":10,"messages":[]}"""u8.ToArray()));
        translator.OnHeaders(200, "application/json", false);

        translator.OnBody(FixtureFiles.Bytes(Folder, "text-and-tools.response.json"), true, new ArrayBufferWriter<byte>());

        Assert.Equal(new TokenUsage(42, 15, 57, 10, true), translator.Usage);
    }

    [Theory]
    [MemberData(nameof(StreamCases))]
    public void Translates_the_chunk_stream_to_anthropic_events_at_every_split_offset(string name)
    {
        var input = FixtureFiles.Bytes(Folder, name + ".input.sse");
        var expected = FixtureFiles.Text(Folder, name + ".expected.sse");
        for (var split = 0; split <= input.Length; split++)
        {
            using var translator = Translator.CreateResponseTranslator(Parse("""{"model":"gpt-4o","max_tokens":10,"stream":true,"messages":[]}"""u8.ToArray()));
            var decision = translator.OnHeaders(200, "text/event-stream", false);
            var output = new ArrayBufferWriter<byte>();

            translator.OnBody(input.AsSpan(0, split), false, output);
            translator.OnBody(input.AsSpan(split), true, output);

            Assert.True(decision.StreamBody);
            Assert.Equal("text/event-stream", decision.ContentType);
            Assert.Equal(expected, Encoding.UTF8.GetString(output.WrittenSpan));
        }
    }

    [Fact]
    public void Writes_events_as_soon_as_their_chunk_is_complete()
    {
        using var translator = Translator.CreateResponseTranslator(Parse("""{"model":"gpt-4o","max_tokens":10,"stream":true,"messages":[]}"""u8.ToArray()));
        translator.OnHeaders(200, "text/event-stream", false);
        var output = new ArrayBufferWriter<byte>();

        translator.OnBody("data: {\"id\":\"c1\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: {\"id\":\"c1\",\"choi"u8, false, output);

        var text = Encoding.UTF8.GetString(output.WrittenSpan);
        Assert.StartsWith("event: message_start\n", text, StringComparison.Ordinal);
        Assert.EndsWith("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Ends_a_stream_that_stopped_without_done_as_a_complete_message()
    {
        using var translator = Translator.CreateResponseTranslator(Parse("""{"model":"gpt-4o","max_tokens":10,"stream":true,"messages":[]}"""u8.ToArray()));
        translator.OnHeaders(200, "text/event-stream", false);
        var output = new ArrayBufferWriter<byte>();

        translator.OnBody("data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":\"length\"}]}\n\n"u8, true, output);

        var text = Encoding.UTF8.GetString(output.WrittenSpan);
        Assert.Contains("\"model\":\"gpt-4o\"", text, StringComparison.Ordinal);
        Assert.Contains("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n", text, StringComparison.Ordinal);
        Assert.Contains("\"stop_reason\":\"max_tokens\"", text, StringComparison.Ordinal);
        Assert.EndsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Ends_the_stream_with_an_error_event_when_a_chunk_is_malformed()
    {
        using var translator = Translator.CreateResponseTranslator(Parse("""{"model":"gpt-4o","max_tokens":10,"stream":true,"messages":[]}"""u8.ToArray()));
        translator.OnHeaders(200, "text/event-stream", false);
        var output = new ArrayBufferWriter<byte>();

        translator.OnBody("data: {\"id\":\"c1\",\"choices\":[{\"delta\":{\"content\":\"Hi\"}}\n\ndata: [DONE]\n\n"u8, true, output);

        Assert.EndsWith(
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"The provider sent a malformed stream event.\"}}\n\n",
            Encoding.UTF8.GetString(output.WrittenSpan),
            StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void Turns_error_bodies_into_anthropic_errors_with_the_status_kept(string name)
    {
        var status = int.Parse(name[..3], CultureInfo.InvariantCulture);
        var body = FixtureFiles.Bytes(Folder, name + ".error.txt");
        using var translator = Translator.CreateResponseTranslator(Parse("""{"model":"gpt-4o","max_tokens":10,"stream":true,"messages":[]}"""u8.ToArray()));
        var output = new ArrayBufferWriter<byte>();

        var headers = translator.OnHeaders(status, "application/json", false);
        var changed = translator.OnBody(body, true, output);

        Assert.False(headers.StreamBody);
        Assert.Equal(FixtureFiles.Text(Folder, name + ".expected.json"), changed ? Encoding.UTF8.GetString(output.WrittenSpan) : Encoding.UTF8.GetString(body));
        Assert.True(AnthropicErrorWriter.IsAnthropicError(changed ? output.WrittenSpan : body));
    }

    [Fact]
    public void Answers_an_error_without_a_body_with_an_anthropic_error()
    {
        using var translator = Translator.CreateResponseTranslator(Parse("""{"model":"gpt-4o","max_tokens":10,"messages":[]}"""u8.ToArray()));

        var headers = translator.OnHeaders(504, null, endOfStream: true);

        Assert.Equal("""{"type":"error","error":{"type":"timeout_error","message":"The upstream returned HTTP 504."}}""", Encoding.UTF8.GetString(headers.ReplacementBody!));
    }

    [Theory]
    [InlineData("""{"choices":[]}""")]
    [InlineData("not json")]
    [InlineData("""{"choices":[{"message":{"tool_calls":[{"id":"c","function":{"name":"f","arguments":"[1,2]"}}]}}]}""")]
    public void Answers_a_malformed_provider_response_with_a_502_anthropic_error(string body)
    {
        using var translator = Translator.CreateResponseTranslator(Parse("""{"model":"gpt-4o","max_tokens":10,"messages":[]}"""u8.ToArray()));
        var output = new ArrayBufferWriter<byte>();

        translator.OnHeaders(200, "application/json", false);
        var changed = translator.OnBody(Encoding.UTF8.GetBytes(body), true, output);

        Assert.True(changed);
        Assert.Equal(502, translator.StatusOverride);
        Assert.Equal("""{"type":"error","error":{"type":"api_error","message":"The provider's response could not be read."}}""", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Turns_the_inner_translators_502_into_an_anthropic_error()
    {
        // Anthropic's own chat translator fails on a malformed Anthropic answer with a 502 OpenAI error.
        var translator = new AnthropicToOpenAiTranslator(new OpenAiToAnthropicTranslator(TimeProvider.System));
        using var responses = translator.CreateResponseTranslator(Parse("""{"model":"claude","max_tokens":10,"messages":[]}"""u8.ToArray()));
        var output = new ArrayBufferWriter<byte>();

        responses.OnHeaders(200, "application/json", false);
        responses.OnBody("not json"u8, true, output);

        Assert.Equal(502, responses.StatusOverride);
        Assert.Equal("""{"type":"error","error":{"type":"api_error","message":"The provider's response could not be read."}}""", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Serves_messages_clients_for_every_schema_with_a_chat_translator()
    {
        var registry = new TranslatorRegistry();

        Assert.True(registry.TryGet(EndpointKind.Messages, ApiSchema.Anthropic, out var anthropic));
        Assert.IsType<AnthropicPassThroughTranslator>(anthropic);
        foreach (var schema in (ApiSchema[])[ApiSchema.OpenAi, ApiSchema.OpenAiCompatible, ApiSchema.AzureOpenAi])
        {
            Assert.True(registry.TryGet(EndpointKind.Messages, schema, out var translator));
            var composed = Assert.IsType<AnthropicToOpenAiTranslator>(translator);
            Assert.True(registry.TryGet(EndpointKind.ChatCompletions, schema, out var chat));
            Assert.Same(chat, composed.Chat);
        }
    }

    private static ProviderDefinition Provider(string name, ApiSchema schema, string basePath) => new()
    {
        Name = name,
        Schema = schema,
        Endpoint = new Uri("https://provider.test" + basePath),
        Authority = "provider.test",
        BasePath = basePath,
        ApiKey = new Secret("sk-test"),
        Models = new[] { "gpt-4o", "gpt-4o-mini", "m" }.ToFrozenSet(),
        Priority = 1,
        Index = 0,
        IsSupported = true,
    };

    private static ParsedRequest Parse(byte[] json) =>
        AnthropicRequestReader.Read(json, out var error) ?? throw new InvalidOperationException(error!.Message);

    private static void AssertJsonEqual(string expected, string actual)
    {
        using var e = JsonDocument.Parse(expected);
        using var a = JsonDocument.Parse(actual);
        Assert.True(JsonElement.DeepEquals(e.RootElement, a.RootElement), $"expected:\n{expected}\nactual:\n{actual}");
    }
}
