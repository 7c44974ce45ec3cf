using System.Buffers;
using System.Text;
using AiGateway.Core.Tokens;
using AiGateway.Core.Translation;
using AiGateway.TestKit;
using static AiGateway.Core.Tests.Translation.OpenAiToBedrockTranslatorTests;

namespace AiGateway.Core.Tests.Translation;

public sealed class OpenAiToBedrockEmbeddingsTranslatorTests
{
    private const string Folder = "Translation/OpenAiToBedrockEmbeddings";

    public static TheoryData<string> RequestCases() => [.. FixtureFiles.Cases(Folder, ".request.json")];

    public static TheoryData<string> ResponseCases() => [.. FixtureFiles.Cases(Folder, ".response.json")];

    [Theory]
    [MemberData(nameof(RequestCases))]
    public void Translates_the_request_to_an_invoke_model_body(string name)
    {
        // Arrange
        var parsed = Parse(FixtureFiles.Bytes(Folder, name + ".request.json"), EndpointKind.Embeddings);
        var body = new ArrayBufferWriter<byte>();

        // Act
        var upstream = new OpenAiToBedrockEmbeddingsTranslator().TranslateRequest(parsed, Bedrock(apiKey: "key"), body);

        // Assert
        Assert.Null(upstream.Error);
        Assert.Equal($"/model/{parsed.Model}/invoke", upstream.Path);
        Assert.Contains(new KeyValuePair<string, string>("authorization", "Bearer key"), upstream.Headers);
        AssertJsonEqual(FixtureFiles.Text(Folder, name + ".expected.json"), Encoding.UTF8.GetString(body.WrittenSpan));
    }

    [Theory]
    [InlineData("""{"model":"amazon.titan-embed-text-v2:0","input":["a","b"]}""", "input", "too_many_inputs")]
    [InlineData("""{"model":"amazon.titan-embed-text-v2:0","input":[[1,2,3]]}""", "input", "unsupported_input")]
    [InlineData("""{"model":"amazon.titan-embed-text-v2:0","input":""}""", "input", "invalid_value")]
    [InlineData("""{"model":"amazon.titan-embed-text-v1","input":"a","dimensions":256}""", "dimensions", "unsupported_parameter")]
    [InlineData("""{"model":"cohere.embed-english-v3","input":"a","dimensions":256}""", "dimensions", "unsupported_parameter")]
    [InlineData("""{"model":"amazon.titan-embed-text-v2:0","input":"a","encoding_format":"int8"}""", "encoding_format", "invalid_value")]
    [InlineData("""{"model":"anthropic.claude-3-5-haiku-20241022-v1:0","input":"a"}""", "model", "unsupported_model")]
    public void Rejects_what_invoke_model_cannot_honour_with_a_400(string json, string param, string code)
    {
        var upstream = new OpenAiToBedrockEmbeddingsTranslator().TranslateRequest(Parse(Encoding.UTF8.GetBytes(json), EndpointKind.Embeddings), Bedrock(), new ArrayBufferWriter<byte>());

        Assert.NotNull(upstream.Error);
        Assert.Equal(400, upstream.Error.Status);
        Assert.Equal(param, upstream.Error.Param);
        Assert.Equal(code, upstream.Error.Code);
    }

    [Theory]
    [MemberData(nameof(ResponseCases))]
    public void Translates_the_answer_to_an_openai_embeddings_list(string name)
    {
        var model = name == "titan" ? "amazon.titan-embed-text-v2:0" : "cohere.embed-multilingual-v3";
        using var translator = new OpenAiToBedrockEmbeddingsTranslator().CreateResponseTranslator(Parse(Encoding.UTF8.GetBytes($$"""{"model":"{{model}}","input":"x"}"""), EndpointKind.Embeddings));
        var output = new ArrayBufferWriter<byte>();

        translator.OnResponseHeaders(n => n == "x-amzn-bedrock-input-token-count" ? "4" : null);
        translator.OnHeaders(200, "application/json", false);
        translator.OnBody(FixtureFiles.Bytes(Folder, name + ".response.json"), true, output);

        AssertJsonEqual(FixtureFiles.Text(Folder, name + ".expected-response.json"), Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.True(translator.Usage.Reported);
    }

    [Fact]
    public void Answers_base64_when_the_client_asked_for_it()
    {
        using var translator = new OpenAiToBedrockEmbeddingsTranslator().CreateResponseTranslator(Parse("""{"model":"amazon.titan-embed-text-v2:0","input":"x","encoding_format":"base64"}"""u8.ToArray(), EndpointKind.Embeddings));
        var output = new ArrayBufferWriter<byte>();

        translator.OnHeaders(200, "application/json", false);
        translator.OnBody(FixtureFiles.Bytes(Folder, "titan.response.json"), true, output);

        var expected = Convert.ToBase64String([.. BitConverter.GetBytes(0.125f), .. BitConverter.GetBytes(-0.5f), .. BitConverter.GetBytes(0.0625f)]);
        Assert.Contains($"\"embedding\":\"{expected}\"", Encoding.UTF8.GetString(output.WrittenSpan), StringComparison.Ordinal);
        Assert.Equal(new TokenUsage(5, 0, 5, 0, true), translator.Usage);
    }

    [Fact]
    public void Maps_a_throttling_error_with_its_status()
    {
        using var translator = new OpenAiToBedrockEmbeddingsTranslator().CreateResponseTranslator(Parse("""{"model":"amazon.titan-embed-text-v2:0","input":"x"}"""u8.ToArray(), EndpointKind.Embeddings));
        var output = new ArrayBufferWriter<byte>();

        translator.OnResponseHeaders(n => n == "x-amzn-errortype" ? "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/" : null);
        translator.OnHeaders(429, "application/json", false);
        translator.OnBody("""{"message":"Too many requests"}"""u8, true, output);

        Assert.Equal("""{"error":{"message":"Too many requests","type":"rate_limit_error","param":null,"code":"ThrottlingException"}}""", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Answers_an_answer_without_embeddings_with_a_502()
    {
        using var translator = new OpenAiToBedrockEmbeddingsTranslator().CreateResponseTranslator(Parse("""{"model":"amazon.titan-embed-text-v2:0","input":"x"}"""u8.ToArray(), EndpointKind.Embeddings));

        translator.OnHeaders(200, "application/json", false);
        translator.OnBody("""{"inputTextTokenCount":3}"""u8, true, new ArrayBufferWriter<byte>());

        Assert.Equal(502, translator.StatusOverride);
    }
}
