using System.Text;
using AiGateway.Core.Schemas.Anthropic;
using AiGateway.Core.Translation;

namespace AiGateway.Core.Tests.Schemas.Anthropic;

public sealed class AnthropicRequestReaderTests
{
    [Fact]
    public void Reads_model_stream_and_prefer_provider_and_keeps_the_original_bytes()
    {
        var body = """{"model":"claude-sonnet-4-5","max_tokens":64,"stream":true,"prefer_provider":"anthropic","messages":[{"role":"user","content":"Hi"}]}"""u8.ToArray();

        var parsed = AnthropicRequestReader.Read(body, out var error);

        Assert.Null(error);
        Assert.NotNull(parsed);
        Assert.Equal(EndpointKind.Messages, parsed.Endpoint);
        Assert.Equal("claude-sonnet-4-5", parsed.Model);
        Assert.True(parsed.Stream);
        Assert.True(parsed.ClientWantsUsage);
        Assert.Equal("anthropic", parsed.PreferProvider);
        Assert.True(parsed.Body.Span.SequenceEqual(body));
    }

    [Theory]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[""", "invalid_json", null)]
    [InlineData("[]", "invalid_json", null)]
    [InlineData("""{"max_tokens":5,"messages":[]}""", "missing_model", "model")]
    [InlineData("""{"model":"m","messages":[]}""", "missing_max_tokens", "max_tokens")]
    [InlineData("""{"model":"m","max_tokens":5}""", "missing_messages", "messages")]
    [InlineData("""{"model":"m","max_tokens":0,"messages":[]}""", "invalid_type", "max_tokens")]
    [InlineData("""{"model":"m","max_tokens":"5","messages":[]}""", "invalid_type", "max_tokens")]
    [InlineData("""{"model":7,"max_tokens":5,"messages":[]}""", "invalid_type", "model")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":{}}""", "invalid_type", "messages")]
    public void Answers_bodies_anthropic_would_refuse_with_a_400(string json, string code, string? param)
    {
        var parsed = AnthropicRequestReader.Read(Encoding.UTF8.GetBytes(json), out var error);

        Assert.Null(parsed);
        Assert.NotNull(error);
        Assert.Equal(400, error.Status);
        Assert.Equal(code, error.Code);
        Assert.Equal(param, error.Param);
    }

    [Fact]
    public void Names_a_missing_field_the_way_anthropic_does()
    {
        AnthropicRequestReader.Read("""{"model":"m","messages":[]}"""u8.ToArray(), out var error);

        Assert.Equal("max_tokens: Field required", error!.Message);
    }
}
