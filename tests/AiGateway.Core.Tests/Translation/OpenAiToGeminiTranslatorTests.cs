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

public sealed class OpenAiToGeminiTranslatorTests
{
    private const string Folder = "Translation/OpenAiToGemini";
    private static readonly FakeTimeProvider Clock = new(DateTimeOffset.FromUnixTimeSeconds(1731679200));

    private static readonly ProviderDefinition AiStudio = Provider(ApiSchema.Gemini, "https://generativelanguage.googleapis.com/v1beta", "AIza-test");

    public static TheoryData<string> RequestCases() => [.. FixtureFiles.Cases(Folder, ".request.json").Where(name => !name.StartsWith("embeddings", StringComparison.Ordinal))];

    public static TheoryData<string> ResponseCases() => [.. FixtureFiles.Cases(Folder, ".response.json").Where(name => !name.StartsWith("embeddings", StringComparison.Ordinal))];

    [Theory]
    [MemberData(nameof(RequestCases))]
    public void Translates_the_request(string name)
    {
        // Arrange
        var parsed = Parse(FixtureFiles.Bytes(Folder, name + ".request.json"));
        var body = new ArrayBufferWriter<byte>();

        // Act
        var upstream = Translator(GeminiFlavour.AiStudio).TranslateRequest(parsed, AiStudio, body);

        // Assert
        Assert.Null(upstream.Error);
        AssertJsonEqual(FixtureFiles.Text(Folder, name + ".expected.json"), Encoding.UTF8.GetString(body.WrittenSpan));
    }

    [Theory]
    [InlineData(false, "/v1beta/models/gemini-2.5-flash:generateContent")]
    [InlineData(true, "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse")]
    public void Sends_ai_studio_requests_with_the_key_in_x_goog_api_key(bool stream, string path)
    {
        var json = $$"""{"model":"gemini-2.5-flash","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"x"}]}""";

        var upstream = Translator(GeminiFlavour.AiStudio).TranslateRequest(Parse(Encoding.UTF8.GetBytes(json)), AiStudio, new ArrayBufferWriter<byte>());

        Assert.Equal(path, upstream.Path);
        Assert.Contains(new KeyValuePair<string, string>("x-goog-api-key", "AIza-test"), upstream.Headers);
        Assert.DoesNotContain(upstream.Headers, h => h.Key == "authorization");
    }

    [Theory]
    [InlineData("https://us-central1-aiplatform.googleapis.com", "us-central1", false, "/v1/projects/my-project/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent")]
    [InlineData("https://aiplatform.googleapis.com/v1", "global", true, "/v1/projects/my-project/locations/global/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse")]
    [InlineData("http://mock-provider:8080/vertex/v1beta1", "europe-west4", false, "/vertex/v1beta1/projects/my-project/locations/europe-west4/publishers/google/models/gemini-2.5-flash:generateContent")]
    public void Sends_vertex_requests_to_the_publisher_model_path_without_credentials(string endpoint, string region, bool stream, string path)
    {
        // Arrange
        var vertex = Provider(ApiSchema.VertexAi, endpoint, string.Empty, region);
        var json = $$"""{"model":"gemini-2.5-flash","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Hello"}]}""";
        var body = new ArrayBufferWriter<byte>();

        // Act
        var upstream = Translator(GeminiFlavour.VertexAi).TranslateRequest(Parse(Encoding.UTF8.GetBytes(json)), vertex, body);

        // Assert: the credentials step adds the bearer token after translation.
        Assert.Null(upstream.Error);
        Assert.Equal(path, upstream.Path);
        Assert.DoesNotContain(upstream.Headers, h => h.Key is "authorization" or "x-goog-api-key");
        AssertJsonEqual(FixtureFiles.Text(Folder, "minimal.expected.json"), Encoding.UTF8.GetString(body.WrittenSpan));
    }

    [Fact]
    public void Answers_a_vertex_provider_without_project_with_a_500()
    {
        var vertex = Provider(ApiSchema.VertexAi, "https://aiplatform.googleapis.com", string.Empty, region: null);

        var upstream = Translator(GeminiFlavour.VertexAi).TranslateRequest(Parse(FixtureFiles.Bytes(Folder, "minimal.request.json")), vertex, new ArrayBufferWriter<byte>());

        Assert.Equal(500, upstream.Error?.Status);
    }

    [Theory]
    [InlineData("global", "aiplatform.googleapis.com")]
    [InlineData("us-central1", "us-central1-aiplatform.googleapis.com")]
    public void Names_the_vertex_host_of_a_region(string region, string host) =>
        Assert.Equal(host, GeminiPaths.VertexHost(region));

    [Theory]
    [InlineData("""{"model":"m","temperature":2.5,"messages":[{"role":"user","content":"x"}]}""", "temperature")]
    [InlineData("""{"model":"m","top_p":1.5,"messages":[{"role":"user","content":"x"}]}""", "top_p")]
    [InlineData("""{"model":"m","logprobs":true,"messages":[{"role":"user","content":"x"}]}""", "logprobs")]
    [InlineData("""{"model":"m","logit_bias":{"1":5},"messages":[{"role":"user","content":"x"}]}""", "logit_bias")]
    [InlineData("""{"model":"m","modalities":["text","audio"],"messages":[{"role":"user","content":"x"}]}""", "modalities")]
    [InlineData("""{"model":"m","parallel_tool_calls":false,"messages":[{"role":"user","content":"x"}]}""", "parallel_tool_calls")]
    [InlineData("""{"model":"m","functions":[{"name":"f"}],"messages":[{"role":"user","content":"x"}]}""", "functions")]
    [InlineData("""{"model":"m","reasoning_effort":"extreme","messages":[{"role":"user","content":"x"}]}""", "reasoning_effort")]
    [InlineData("""{"model":"m","tool_choice":"required","messages":[{"role":"user","content":"x"}]}""", "tool_choice")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"file","file":{"file_id":"file-1"}}]}]}""", "messages[0].content")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png,AAAA"}}]}]}""", "messages[0].content")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"ftp://host/a.png"}}]}]}""", "messages[0].content")]
    [InlineData("""{"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"not json"}}]}]}""", "messages[0].tool_calls")]
    [InlineData("""{"model":"m","messages":[{"role":"tool","tool_call_id":"unknown","content":"42"}]}""", "messages[0].tool_call_id")]
    [InlineData("""{"model":"m","messages":[{"role":"robot","content":"x"}]}""", "messages[0].role")]
    public void Rejects_what_gemini_cannot_honour_with_a_400(string json, string param)
    {
        var upstream = Translator(GeminiFlavour.AiStudio).TranslateRequest(Parse(Encoding.UTF8.GetBytes(json)), AiStudio, new ArrayBufferWriter<byte>());

        Assert.NotNull(upstream.Error);
        Assert.Equal(400, upstream.Error.Status);
        Assert.Equal(param, upstream.Error.Param);
    }

    [Theory]
    [MemberData(nameof(ResponseCases))]
    public void Translates_the_response(string name)
    {
        // Arrange
        using var translator = Translator(GeminiFlavour.AiStudio).CreateResponseTranslator(Parse("""{"model":"gemini-2.5-flash","messages":[]}"""u8.ToArray()));
        var output = new ArrayBufferWriter<byte>();

        // Act
        var headers = translator.OnHeaders(200, "application/json", false);
        var changed = translator.OnBody(FixtureFiles.Bytes(Folder, name + ".response.json"), true, output);

        // Assert
        Assert.False(headers.StreamBody);
        Assert.True(changed);
        Assert.Null(translator.StatusOverride);
        AssertJsonEqual(FixtureFiles.Text(Folder, name + ".expected.json"), Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Normalises_usage_with_cached_tool_use_and_thought_tokens()
    {
        using var translator = Translator(GeminiFlavour.AiStudio).CreateResponseTranslator(Parse("""{"model":"gemini-2.5-flash","messages":[]}"""u8.ToArray()));
        translator.OnHeaders(200, "application/json", false);

        translator.OnBody(FixtureFiles.Bytes(Folder, "text-and-tool.response.json"), true, new ArrayBufferWriter<byte>());

        // prompt 40 + tool-use prompt 2; candidates 15 + thoughts 8; cached 10 is a subset of the prompt.
        Assert.Equal(new TokenUsage(42, 23, 65, 10, true) { ReasoningTokens = 8 }, translator.Usage);
    }

    [Theory]
    [InlineData(false, "tool-stream.expected.sse")]
    [InlineData(true, "tool-stream.expected-with-usage.sse")]
    public void Translates_the_event_stream_at_every_split_offset(bool clientWantsUsage, string expectedFile)
    {
        var input = FixtureFiles.Bytes(Folder, "tool-stream.input.sse");
        var expected = FixtureFiles.Text(Folder, expectedFile);
        var request = clientWantsUsage
            ? """{"model":"gemini-2.5-flash","stream":true,"stream_options":{"include_usage":true},"messages":[]}"""
            : """{"model":"gemini-2.5-flash","stream":true,"messages":[]}""";
        for (var split = 0; split <= input.Length; split++)
        {
            using var translator = Translator(GeminiFlavour.AiStudio).CreateResponseTranslator(Parse(Encoding.UTF8.GetBytes(request)));
            var decision = translator.OnHeaders(200, "text/event-stream", false);
            var output = new ArrayBufferWriter<byte>();

            translator.OnBody(input.AsSpan(0, split), false, output);
            translator.OnBody(input.AsSpan(split), true, output);

            Assert.True(decision.StreamBody);
            Assert.Equal(expected, Encoding.UTF8.GetString(output.WrittenSpan));
            Assert.Equal(new TokenUsage(30, 18, 48, 6, true) { ReasoningTokens = 6 }, translator.Usage);
        }
    }

    [Fact]
    public void Ends_a_blocked_stream_with_content_filter()
    {
        using var translator = Translator(GeminiFlavour.AiStudio).CreateResponseTranslator(Parse("""{"model":"m","stream":true,"messages":[]}"""u8.ToArray()));
        translator.OnHeaders(200, "text/event-stream", false);
        var output = new ArrayBufferWriter<byte>();

        translator.OnBody("data: {\"promptFeedback\":{\"blockReason\":\"PROHIBITED_CONTENT\"}}\r\n\r\n"u8, true, output);

        Assert.Equal(
            "data: {\"id\":\"chatcmpl-seed\",\"object\":\"chat.completion.chunk\",\"created\":1731679200,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":\"content_filter\"}]}\n\ndata: [DONE]\n\n",
            Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Turns_a_mid_stream_google_error_into_an_openai_error_line()
    {
        using var translator = Translator(GeminiFlavour.VertexAi).CreateResponseTranslator(Parse("""{"model":"m","stream":true,"messages":[]}"""u8.ToArray()));
        translator.OnHeaders(200, "text/event-stream", false);
        var output = new ArrayBufferWriter<byte>();

        translator.OnBody("data: {\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}\n\n"u8, true, output);

        Assert.Equal("data: {\"error\":{\"message\":\"The model is overloaded.\",\"type\":\"server_error\",\"param\":null,\"code\":\"unavailable\"}}\n\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Ends_the_stream_with_an_error_line_when_an_event_is_malformed()
    {
        using var translator = Translator(GeminiFlavour.AiStudio).CreateResponseTranslator(Parse("""{"model":"m","stream":true,"messages":[]}"""u8.ToArray()));
        translator.OnHeaders(200, "text/event-stream", false);
        var output = new ArrayBufferWriter<byte>();

        translator.OnBody("data: {\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"args\":{}}}]}}]}\n\ndata: {\"candidates\":[]}\n\n"u8, true, output);

        Assert.Equal("data: {\"error\":{\"message\":\"The provider sent a malformed stream event.\",\"type\":\"server_error\",\"param\":null,\"code\":\"bad_provider_response\"}}\n\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"candidates":[{"content":{"parts":[{"functionCall":{"args":{}}}]}}]}""")]
    public void Answers_a_malformed_provider_response_with_a_502_openai_error(string body)
    {
        using var translator = Translator(GeminiFlavour.AiStudio).CreateResponseTranslator(Parse("""{"model":"m","messages":[]}"""u8.ToArray()));
        var output = new ArrayBufferWriter<byte>();

        translator.OnHeaders(200, "application/json", false);
        var changed = translator.OnBody(Encoding.UTF8.GetBytes(body), true, output);

        Assert.True(changed);
        Assert.Equal(502, translator.StatusOverride);
        Assert.Equal("""{"error":{"message":"The provider's response could not be read.","type":"server_error","param":null,"code":"bad_provider_response"}}""", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData("rate-limit", 429)]
    [InlineData("vertex-array", 403)]
    public void Maps_google_errors_to_openai_errors_with_the_same_status(string name, int status)
    {
        using var translator = Translator(GeminiFlavour.AiStudio).CreateResponseTranslator(Parse("""{"model":"m","messages":[]}"""u8.ToArray()));
        var output = new ArrayBufferWriter<byte>();

        var headers = translator.OnHeaders(status, "application/json", false);
        translator.OnBody(FixtureFiles.Bytes(Folder, name + ".error.json"), true, output);

        Assert.Equal("application/json", headers.ContentType);
        Assert.Null(translator.StatusOverride);
        AssertJsonEqual(FixtureFiles.Text(Folder, name + ".expected.json"), Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData("STOP", false, "stop")]
    [InlineData("STOP", true, "tool_calls")]
    [InlineData("MAX_TOKENS", true, "length")]
    [InlineData("SAFETY", false, "content_filter")]
    [InlineData("RECITATION", false, "content_filter")]
    [InlineData("BLOCKLIST", false, "content_filter")]
    [InlineData("PROHIBITED_CONTENT", false, "content_filter")]
    [InlineData("SPII", false, "content_filter")]
    [InlineData("IMAGE_SAFETY", false, "content_filter")]
    [InlineData("MALFORMED_FUNCTION_CALL", false, "stop")]
    [InlineData("OTHER", false, "stop")]
    [InlineData("SOMETHING_NEW", false, "stop")]
    public void Maps_finish_reasons(string reason, bool calledFunctions, string expected) =>
        Assert.Equal(expected, GeminiResponseTranslator.FinishReason(reason, calledFunctions));

    [Theory]
    [InlineData(GeminiFlavour.AiStudio, "embeddings.expected-ai-studio.json", "/v1beta/models/gemini-embedding-001:batchEmbedContents")]
    [InlineData(GeminiFlavour.VertexAi, "embeddings.expected-vertex.json", "/v1/projects/my-project/locations/global/publishers/google/models/gemini-embedding-001:predict")]
    public void Translates_an_embeddings_request(GeminiFlavour flavour, string expectedFile, string path)
    {
        // Arrange
        var provider = flavour == GeminiFlavour.AiStudio ? AiStudio : Provider(ApiSchema.VertexAi, "https://aiplatform.googleapis.com", string.Empty, "global");
        var parsed = ParseEmbeddings(FixtureFiles.Bytes(Folder, "embeddings.request.json"));
        var body = new ArrayBufferWriter<byte>();

        // Act
        var upstream = new OpenAiToGeminiEmbeddingsTranslator(flavour).TranslateRequest(parsed, provider, body);

        // Assert
        Assert.Null(upstream.Error);
        Assert.Equal(path, upstream.Path);
        Assert.Equal(flavour == GeminiFlavour.AiStudio, upstream.Headers.Any(h => h.Key == "x-goog-api-key"));
        AssertJsonEqual(FixtureFiles.Text(Folder, expectedFile), Encoding.UTF8.GetString(body.WrittenSpan));
    }

    [Theory]
    [InlineData("""{"model":"m","input":[[1,2,3]]}""", "input")]
    [InlineData("""{"model":"m","input":""}""", "input")]
    [InlineData("""{"model":"m","input":"x","dimensions":0}""", "dimensions")]
    [InlineData("""{"model":"m","input":"x","encoding_format":"int8"}""", "encoding_format")]
    public void Rejects_embeddings_requests_gemini_cannot_take_with_a_400(string json, string param)
    {
        var upstream = new OpenAiToGeminiEmbeddingsTranslator(GeminiFlavour.AiStudio).TranslateRequest(ParseEmbeddings(Encoding.UTF8.GetBytes(json)), AiStudio, new ArrayBufferWriter<byte>());

        Assert.Equal(400, upstream.Error?.Status);
        Assert.Equal(param, upstream.Error?.Param);
    }

    [Theory]
    [InlineData("embeddings-ai-studio", 0, false)]
    [InlineData("embeddings-vertex", 7, true)]
    public void Translates_embeddings_answers_to_an_openai_list(string name, long tokens, bool reported)
    {
        using var translator = new OpenAiToGeminiEmbeddingsTranslator(GeminiFlavour.AiStudio).CreateResponseTranslator(ParseEmbeddings("""{"model":"gemini-embedding-001","input":"x"}"""u8.ToArray()));
        var output = new ArrayBufferWriter<byte>();

        translator.OnHeaders(200, "application/json", false);
        translator.OnBody(FixtureFiles.Bytes(Folder, name + ".response.json"), true, output);

        AssertJsonEqual(FixtureFiles.Text(Folder, name + ".expected.json"), Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.Equal(new TokenUsage(tokens, 0, tokens, 0, reported), translator.Usage);
    }

    [Fact]
    public void Packs_embeddings_as_little_endian_float32_base64_when_the_client_asks()
    {
        using var translator = new OpenAiToGeminiEmbeddingsTranslator(GeminiFlavour.VertexAi).CreateResponseTranslator(ParseEmbeddings("""{"model":"gemini-embedding-001","input":"x","encoding_format":"base64"}"""u8.ToArray()));
        var output = new ArrayBufferWriter<byte>();

        translator.OnHeaders(200, "application/json", false);
        translator.OnBody(FixtureFiles.Bytes(Folder, "embeddings-vertex.response.json"), true, output);

        using var document = JsonDocument.Parse(output.WrittenMemory);
        var data = document.RootElement.GetProperty("data");
        Assert.Equal("AACAPgAAAL8AAAA+", data[0].GetProperty("embedding").GetString());
        Assert.Equal("AACAPwAAAACmm8S6", data[1].GetProperty("embedding").GetString());
    }

    [Fact]
    public void Answers_a_malformed_embeddings_answer_with_a_502()
    {
        using var translator = new OpenAiToGeminiEmbeddingsTranslator(GeminiFlavour.AiStudio).CreateResponseTranslator(ParseEmbeddings("""{"model":"m","input":"x"}"""u8.ToArray()));
        var output = new ArrayBufferWriter<byte>();

        translator.OnHeaders(200, "application/json", false);
        translator.OnBody("""{"embeddings":[{"values":["a"]}]}"""u8, true, output);

        Assert.Equal(502, translator.StatusOverride);
    }

    [Theory]
    [InlineData(EndpointKind.ChatCompletions, ApiSchema.Gemini)]
    [InlineData(EndpointKind.ChatCompletions, ApiSchema.VertexAi)]
    [InlineData(EndpointKind.Embeddings, ApiSchema.Gemini)]
    [InlineData(EndpointKind.Embeddings, ApiSchema.VertexAi)]
    public void Is_registered_for_both_gemini_schemas(EndpointKind endpoint, ApiSchema schema) =>
        Assert.True(new TranslatorRegistry().TryGet(endpoint, schema, out _));

    private static OpenAiToGeminiTranslator Translator(GeminiFlavour flavour) => new(Clock, flavour, static () => "seed");

    private static ProviderDefinition Provider(ApiSchema schema, string endpoint, string apiKey, string? region = "global")
    {
        var uri = new Uri(endpoint);
        return new()
        {
            Name = schema == ApiSchema.Gemini ? "gemini" : "vertex",
            Schema = schema,
            Endpoint = uri,
            Authority = uri.Authority,
            BasePath = uri.AbsolutePath.TrimEnd('/'),
            ApiKey = new Secret(apiKey),
            Models = new[] { "gemini-2.5-flash", "gemini-embedding-001" }.ToFrozenSet(),
            Priority = 1,
            Index = 0,
            IsSupported = true,
            Region = region,
            ProjectId = region is null ? null : "my-project",
        };
    }

    private static ParsedRequest Parse(byte[] json) =>
        OpenAiRequestReader.Read(EndpointKind.ChatCompletions, json, out var error) ?? throw new InvalidOperationException(error!.Message);

    private static ParsedRequest ParseEmbeddings(byte[] json) =>
        OpenAiRequestReader.Read(EndpointKind.Embeddings, json, out var error) ?? throw new InvalidOperationException(error!.Message);

    private static void AssertJsonEqual(string expected, string actual)
    {
        using var e = JsonDocument.Parse(expected);
        using var a = JsonDocument.Parse(actual);
        Assert.True(JsonElement.DeepEquals(e.RootElement, a.RootElement), $"expected:\n{expected}\nactual:\n{actual}");
    }
}
