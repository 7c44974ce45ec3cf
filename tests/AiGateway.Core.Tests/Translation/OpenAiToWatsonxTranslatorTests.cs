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

public sealed class OpenAiToWatsonxTranslatorTests
{
    private const string Folder = "Translation/OpenAiToWatsonx";
    private const string EmbeddingsFolder = "Translation/OpenAiToWatsonxEmbeddings";
    private static readonly FakeTimeProvider Clock = new(DateTimeOffset.FromUnixTimeSeconds(1731679200));

    private static readonly ProviderDefinition Watsonx = new()
    {
        Name = "watsonx",
        Schema = ApiSchema.Watsonx,
        Endpoint = new Uri("https://us-south.ml.cloud.ibm.com"),
        Authority = "us-south.ml.cloud.ibm.com",
        BasePath = string.Empty,
        ApiKey = new Secret("ibm-cloud-api-key"),
        Models = new[] { "ibm/granite-3-8b-instruct", "ibm/slate-30m-english-rtrvr" }.ToFrozenSet(),
        Priority = 1,
        Index = 0,
        IsSupported = true,
        ProjectId = "5c1b2a4e-0000-0000-0000-000000000000",
        ApiVersion = "2024-05-31",
        Auth = new ProviderAuth { Kind = ProviderAuthKind.IbmIam, TokenUrl = ProviderAuth.DefaultIbmIamTokenUrl },
    };

    private static OpenAiToWatsonxTranslator Chat => new(EndpointKind.ChatCompletions, Clock);

    private static OpenAiToWatsonxTranslator Embeddings => new(EndpointKind.Embeddings, Clock);

    public static TheoryData<string> RequestCases() => [.. FixtureFiles.Cases(Folder, ".request.json")];

    public static TheoryData<string> ResponseCases() => [.. FixtureFiles.Cases(Folder, ".response.json")];

    public static TheoryData<string, bool> StreamCases()
    {
        var cases = new TheoryData<string, bool>();
        foreach (var name in FixtureFiles.Cases(Folder, ".input.sse"))
        {
            cases.Add(name, false);
            cases.Add(name, true);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(RequestCases))]
    public void Translates_the_request(string name)
    {
        // Arrange
        var parsed = Parse(FixtureFiles.Bytes(Folder, name + ".request.json"));
        var body = new ArrayBufferWriter<byte>();

        // Act
        var upstream = Chat.TranslateRequest(parsed, Watsonx, body);

        // Assert
        Assert.Null(upstream.Error);
        AssertJsonEqual(FixtureFiles.Text(Folder, name + ".expected.json"), Encoding.UTF8.GetString(body.WrittenSpan));
    }

    [Theory]
    [InlineData(false, "/ml/v1/text/chat?version=2024-05-31", "application/json")]
    [InlineData(true, "/ml/v1/text/chat_stream?version=2024-05-31", "text/event-stream")]
    public void Posts_to_the_chat_or_chat_stream_path_with_the_version_and_leaves_auth_to_the_iam_credentials(bool stream, string path, string accept)
    {
        var json = stream ? """{"model":"ibm/granite-3-8b-instruct","stream":true,"messages":[{"role":"user","content":"x"}]}""" : """{"model":"ibm/granite-3-8b-instruct","messages":[{"role":"user","content":"x"}]}""";

        var upstream = Chat.TranslateRequest(Parse(Encoding.UTF8.GetBytes(json)), Watsonx, new ArrayBufferWriter<byte>());

        Assert.Equal(path, upstream.Path);
        Assert.Contains(new KeyValuePair<string, string>("accept", accept), upstream.Headers);
        Assert.DoesNotContain(upstream.Headers, h => h.Key == "authorization");
    }

    [Fact]
    public void Uses_the_space_id_an_ml_v1_base_path_and_a_plain_api_key_when_so_configured()
    {
        var provider = new ProviderDefinition
        {
            Name = Watsonx.Name,
            Schema = Watsonx.Schema,
            Endpoint = new Uri("https://cpd.example.com/ml/v1"),
            Authority = "cpd.example.com",
            BasePath = "/ml/v1",
            ApiKey = new Secret("zen-key"),
            Models = Watsonx.Models,
            Priority = 1,
            Index = 0,
            IsSupported = true,
            SpaceId = "space-9",
            ApiVersion = "2025-02-11",
            Auth = ProviderAuth.ApiKey,
        };
        var body = new ArrayBufferWriter<byte>();

        var upstream = Chat.TranslateRequest(Parse("""{"model":"m","messages":[{"role":"user","content":"x"}]}"""u8.ToArray()), provider, body);

        Assert.Equal("/ml/v1/text/chat?version=2025-02-11", upstream.Path);
        Assert.Contains(new KeyValuePair<string, string>("authorization", "Bearer zen-key"), upstream.Headers);
        AssertJsonEqual("""{"model_id":"m","space_id":"space-9","messages":[{"role":"user","content":"x"}]}""", Encoding.UTF8.GetString(body.WrittenSpan));
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"x","format":"wav"}}]}]}""", "messages[0].content")]
    [InlineData("""{"model":"m","messages":[{"role":"function","name":"f","content":"x"}]}""", "messages[0].role")]
    [InlineData("""{"model":"m","messages":[{"role":"tool","content":"x"}]}""", "messages[0].tool_call_id")]
    [InlineData("""{"model":"m","modalities":["text","audio"],"messages":[{"role":"user","content":"x"}]}""", "modalities")]
    [InlineData("""{"model":"m","logit_bias":{"50256":-100},"messages":[{"role":"user","content":"x"}]}""", "logit_bias")]
    [InlineData("""{"model":"m","reasoning_effort":"high","messages":[{"role":"user","content":"x"}]}""", "reasoning_effort")]
    [InlineData("""{"model":"m","prediction":{"type":"content","content":"x"},"messages":[{"role":"user","content":"x"}]}""", "prediction")]
    [InlineData("""{"model":"m","parallel_tool_calls":false,"messages":[{"role":"user","content":"x"}]}""", "parallel_tool_calls")]
    [InlineData("""{"model":"m","response_format":{"type":"grammar"},"messages":[{"role":"user","content":"x"}]}""", "response_format")]
    [InlineData("""{"model":"m","tools":[{"type":"custom","custom":{"name":"x"}}],"messages":[{"role":"user","content":"x"}]}""", "tools")]
    [InlineData("""{"model":"m","tool_choice":{"type":"allowed_tools","allowed_tools":{}},"messages":[{"role":"user","content":"x"}]}""", "tool_choice")]
    [InlineData("""{"model":"m","stop":[1],"messages":[{"role":"user","content":"x"}]}""", "stop")]
    public void Rejects_what_watsonx_cannot_honour_with_a_400(string json, string param)
    {
        var upstream = Chat.TranslateRequest(Parse(Encoding.UTF8.GetBytes(json)), Watsonx, new ArrayBufferWriter<byte>());

        Assert.NotNull(upstream.Error);
        Assert.Equal(400, upstream.Error.Status);
        Assert.Equal(param, upstream.Error.Param);
    }

    [Theory]
    [MemberData(nameof(ResponseCases))]
    public void Translates_the_response(string name)
    {
        // Arrange
        using var translator = Chat.CreateResponseTranslator(Parse("""{"model":"ibm/granite-3-8b-instruct","messages":[]}"""u8.ToArray()));
        var output = new ArrayBufferWriter<byte>();

        // Act
        var headers = translator.OnHeaders(200, "application/json", false);
        var changed = translator.OnBody(FixtureFiles.Bytes(Folder, name + ".response.json"), true, output);

        // Assert
        Assert.False(headers.StreamBody);
        Assert.True(changed);
        Assert.Null(translator.StatusOverride);
        AssertJsonEqual(FixtureFiles.Text(Folder, name + ".expected.json"), Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.True(translator.Usage.Reported);
    }

    [Theory]
    [MemberData(nameof(StreamCases))]
    public void Translates_the_event_stream_at_every_split_offset(string name, bool clientWantsUsage)
    {
        var input = FixtureFiles.Bytes(Folder, name + ".input.sse");
        var expected = FixtureFiles.Text(Folder, name + (clientWantsUsage ? ".expected-with-usage.sse" : ".expected.sse"));
        var request = clientWantsUsage
            ? """{"model":"ibm/granite-3-8b-instruct","stream":true,"stream_options":{"include_usage":true},"messages":[]}"""
            : """{"model":"ibm/granite-3-8b-instruct","stream":true,"messages":[]}""";
        TokenUsage? usage = null;
        for (var split = 0; split <= input.Length; split++)
        {
            using var translator = Chat.CreateResponseTranslator(Parse(Encoding.UTF8.GetBytes(request)));
            var decision = translator.OnHeaders(200, "text/event-stream", false);
            var output = new ArrayBufferWriter<byte>();

            translator.OnBody(input.AsSpan(0, split), false, output);
            translator.OnBody(input.AsSpan(split), true, output);

            Assert.True(decision.StreamBody);
            Assert.Equal(expected, Encoding.UTF8.GetString(output.WrittenSpan));
            Assert.True(translator.Usage.Reported);
            usage ??= translator.Usage;
            Assert.Equal(usage, translator.Usage);
        }
    }

    [Fact]
    public void Reads_stream_usage_from_the_last_chunk()
    {
        using var translator = Chat.CreateResponseTranslator(Parse("""{"model":"m","stream":true,"messages":[]}"""u8.ToArray()));
        translator.OnHeaders(200, "text/event-stream", false);

        translator.OnBody(FixtureFiles.Bytes(Folder, "tool-stream.input.sse"), true, new ArrayBufferWriter<byte>());

        Assert.Equal(new TokenUsage(38, 12, 50, 0, true), translator.Usage);
    }

    [Fact]
    public void Turns_an_error_event_into_an_openai_error_line_and_ends_the_stream()
    {
        using var translator = Chat.CreateResponseTranslator(Parse("""{"model":"m","stream":true,"messages":[]}"""u8.ToArray()));
        translator.OnHeaders(200, "text/event-stream", false);
        var output = new ArrayBufferWriter<byte>();

        translator.OnBody("id: 1\nevent: error\ndata: {\"errors\":[{\"code\":\"internal_error\",\"message\":\"Model crashed\"}],\"trace\":\"t-1\",\"status_code\":500}\n\nid: 2\nevent: message\ndata: {\"choices\":[]}\n\n"u8, true, output);

        Assert.Equal("data: {\"error\":{\"message\":\"Model crashed (watsonx.ai trace t-1)\",\"type\":\"server_error\",\"param\":null,\"code\":\"internal_error\"}}\n\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Turns_a_plain_text_error_event_into_an_openai_error_line()
    {
        using var translator = Chat.CreateResponseTranslator(Parse("""{"model":"m","stream":true,"messages":[]}"""u8.ToArray()));
        translator.OnHeaders(200, "text/event-stream", false);
        var output = new ArrayBufferWriter<byte>();

        translator.OnBody("event: error\ndata: upstream connect error\n\n"u8, true, output);

        Assert.Equal("data: {\"error\":{\"message\":\"watsonx.ai failed mid-stream: upstream connect error\",\"type\":\"server_error\",\"param\":null,\"code\":\"provider_stream_error\"}}\n\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Passes_a_done_event_through_once()
    {
        using var translator = Chat.CreateResponseTranslator(Parse("""{"model":"m","stream":true,"messages":[]}"""u8.ToArray()));
        translator.OnHeaders(200, "text/event-stream", false);
        var output = new ArrayBufferWriter<byte>();

        translator.OnBody("data: {\"id\":\"c\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"u8, true, output);

        Assert.Equal(
            "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n",
            Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Ends_the_stream_with_an_error_line_when_an_event_is_malformed()
    {
        using var translator = Chat.CreateResponseTranslator(Parse("""{"model":"m","stream":true,"messages":[]}"""u8.ToArray()));
        translator.OnHeaders(200, "text/event-stream", false);
        var output = new ArrayBufferWriter<byte>();

        translator.OnBody("id: 1\nevent: message\ndata: {\"choices\":[{\"index\":0,\n\n"u8, true, output);

        Assert.Equal("data: {\"error\":{\"message\":\"The provider sent a malformed stream event.\",\"type\":\"server_error\",\"param\":null,\"code\":\"bad_provider_response\"}}\n\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData("stop", "stop")]
    [InlineData("length", "length")]
    [InlineData("tool_calls", "tool_calls")]
    [InlineData("time_limit", "length")]
    [InlineData("cancelled", "stop")]
    [InlineData("error", "stop")]
    [InlineData("something_new", "stop")]
    public void Maps_finish_reasons_to_openai(string watsonx, string openAi) =>
        Assert.Equal(openAi, WatsonxResponseTranslator.FinishReason(watsonx));

    [Theory]
    [InlineData("""{"choices":"none"}""")]
    [InlineData("not json")]
    [InlineData("""{"choices":[{"index":0,"message":{"tool_calls":[{"function":{}}]}}]}""")]
    public void Answers_a_malformed_provider_response_with_a_502_openai_error(string body)
    {
        using var translator = Chat.CreateResponseTranslator(Parse("""{"model":"m","messages":[]}"""u8.ToArray()));
        var output = new ArrayBufferWriter<byte>();

        translator.OnHeaders(200, "application/json", false);
        var changed = translator.OnBody(Encoding.UTF8.GetBytes(body), true, output);

        Assert.True(changed);
        Assert.Equal(502, translator.StatusOverride);
        Assert.Equal("""{"error":{"message":"The provider's response could not be read.","type":"server_error","param":null,"code":"bad_provider_response"}}""", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Maps_a_watsonx_error_to_an_openai_error_with_the_trace_and_the_same_status()
    {
        using var translator = Chat.CreateResponseTranslator(Parse("""{"model":"m","messages":[]}"""u8.ToArray()));
        var output = new ArrayBufferWriter<byte>();

        translator.OnHeaders(429, "application/json", false);
        translator.OnBody(FixtureFiles.Bytes(Folder, "token-quota.error.json"), true, output);

        Assert.Null(translator.StatusOverride);
        AssertJsonEqual(FixtureFiles.Text(Folder, "token-quota.expected-error.json"), Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData(401, "authentication_token_expired", "authentication_error")]
    [InlineData(403, "authorization_rejected", "permission_error")]
    [InlineData(404, "model_not_supported", "invalid_request_error")]
    [InlineData(500, "internal_error", "server_error")]
    public void Keeps_the_watsonx_code_and_picks_the_openai_type_by_status(int status, string code, string type)
    {
        using var translator = Chat.CreateResponseTranslator(Parse("""{"model":"m","messages":[]}"""u8.ToArray()));
        var output = new ArrayBufferWriter<byte>();

        translator.OnHeaders(status, "application/json", false);
        translator.OnBody(Encoding.UTF8.GetBytes($$"""{"errors":[{"code":"{{code}}","message":"Nope"}],"status_code":{{status}}}"""), true, output);

        Assert.Equal($$$"""{"error":{"message":"Nope","type":"{{{type}}}","param":null,"code":"{{{code}}}"}}""", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Translates_an_embeddings_request_to_inputs_model_id_and_project()
    {
        var parsed = OpenAiRequestReader.Read(EndpointKind.Embeddings, FixtureFiles.Bytes(EmbeddingsFolder, "texts.request.json"), out _)!;
        var body = new ArrayBufferWriter<byte>();

        var upstream = Embeddings.TranslateRequest(parsed, Watsonx, body);

        Assert.Null(upstream.Error);
        Assert.Equal("/ml/v1/text/embeddings?version=2024-05-31", upstream.Path);
        AssertJsonEqual(FixtureFiles.Text(EmbeddingsFolder, "texts.expected.json"), Encoding.UTF8.GetString(body.WrittenSpan));
    }

    [Theory]
    [InlineData("""{"model":"m","input":[[1,2,3]]}""", "input")]
    [InlineData("""{"model":"m","input":[]}""", "input")]
    [InlineData("""{"model":"m","input":"x","dimensions":256}""", "dimensions")]
    [InlineData("""{"model":"m","input":"x","encoding_format":"int8"}""", "encoding_format")]
    public void Rejects_embeddings_watsonx_cannot_make_with_a_400(string json, string param)
    {
        var parsed = OpenAiRequestReader.Read(EndpointKind.Embeddings, Encoding.UTF8.GetBytes(json), out _)!;

        var upstream = Embeddings.TranslateRequest(parsed, Watsonx, new ArrayBufferWriter<byte>());

        Assert.Equal(400, upstream.Error?.Status);
        Assert.Equal(param, upstream.Error?.Param);
    }

    [Fact]
    public void Translates_embeddings_with_input_token_count_as_usage()
    {
        var parsed = OpenAiRequestReader.Read(EndpointKind.Embeddings, FixtureFiles.Bytes(EmbeddingsFolder, "texts.request.json"), out _)!;
        using var translator = Embeddings.CreateResponseTranslator(parsed);
        var output = new ArrayBufferWriter<byte>();

        translator.OnHeaders(200, "application/json", false);
        translator.OnBody(FixtureFiles.Bytes(EmbeddingsFolder, "texts.response.json"), true, output);

        AssertJsonEqual(FixtureFiles.Text(EmbeddingsFolder, "texts.expected-response.json"), Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.Equal(new TokenUsage(7, 0, 7, 0, true), translator.Usage);
    }

    [Fact]
    public void Encodes_embeddings_as_base64_float32_when_the_client_asks()
    {
        var parsed = OpenAiRequestReader.Read(EndpointKind.Embeddings, """{"model":"m","input":"x","encoding_format":"base64"}"""u8.ToArray(), out _)!;
        using var translator = Embeddings.CreateResponseTranslator(parsed);
        var output = new ArrayBufferWriter<byte>();

        translator.OnHeaders(200, "application/json", false);
        translator.OnBody("""{"model_id":"m","results":[{"embedding":[1.0,-2.5]}],"input_token_count":1}"""u8, true, output);

        var expected = Convert.ToBase64String([.. BitConverter.GetBytes(1.0f), .. BitConverter.GetBytes(-2.5f)]);
        using var document = JsonDocument.Parse(output.WrittenMemory);
        Assert.Equal(expected, document.RootElement.GetProperty("data")[0].GetProperty("embedding").GetString());
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
