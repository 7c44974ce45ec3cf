using System.Buffers;
using System.Collections.Frozen;
using System.Text;
using AiGateway.Core.Configuration;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Translation;

namespace AiGateway.Core.Tests.Translation;

public sealed class OpenAiToOpenAiTranslatorTests
{
    private static ProviderDefinition Compatible(OpenAiDialect dialect) => new()
    {
        Name = "compat",
        Schema = ApiSchema.OpenAiCompatible,
        Endpoint = new Uri("https://api.example.com/v1"),
        Authority = "api.example.com",
        BasePath = "/v1",
        ApiKey = new Secret("k"),
        Models = new[] { "m" }.ToFrozenSet(),
        Priority = 1,
        Index = 0,
        IsSupported = true,
        Dialect = dialect,
    };

    private static (UpstreamRequest Request, string Body) Translate(string json, OpenAiDialect dialect)
    {
        var request = OpenAiRequestReader.Read(EndpointKind.ChatCompletions, Encoding.UTF8.GetBytes(json), out _)!;
        var body = new ArrayBufferWriter<byte>();
        var upstream = new OpenAiToOpenAiTranslator(EndpointKind.ChatCompletions, compatible: true).TranslateRequest(request, Compatible(dialect), body);
        return (upstream, Encoding.UTF8.GetString(body.WrittenSpan));
    }

    [Fact]
    public void Answers_400_in_openai_format_when_groq_cannot_honour_a_parameter()
    {
        var (request, _) = Translate("""{"model":"m","messages":[{"role":"user","content":"hi"}],"logit_bias":{"1":2}}""", OpenAiDialect.Groq);

        Assert.NotNull(request.Error);
        Assert.Equal(400, request.Error.Status);
        Assert.Equal("logit_bias", request.Error.Param);
    }

    [Fact]
    public void Rewrites_for_mistral_after_the_usual_rewrites()
    {
        var (request, body) = Translate("""{"model":"m","prefer_provider":"compat","stream":true,"seed":1,"messages":[{"role":"user","content":"hi"}]}""", OpenAiDialect.Mistral);

        Assert.Null(request.Error);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("""{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}],"stream_options":{"include_usage":true},"random_seed":1}""", body);
    }

    [Fact]
    public void Passes_generic_servers_the_body_without_dialect_rewrites()
    {
        var (_, body) = Translate("""{"model":"m","seed":1,"messages":[{"role":"user","name":"a","content":"hi"}]}""", OpenAiDialect.Generic);

        Assert.Equal("""{"model":"m","seed":1,"messages":[{"role":"user","name":"a","content":"hi"}]}""", body);
    }
}
