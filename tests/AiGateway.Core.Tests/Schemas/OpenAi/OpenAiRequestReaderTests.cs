using System.Text;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Translation;

namespace AiGateway.Core.Tests.Schemas.OpenAi;

public sealed class OpenAiRequestReaderTests
{
    private static ParsedRequest? Read(string json, out ClientError? error, EndpointKind kind = EndpointKind.ChatCompletions) =>
        OpenAiRequestReader.Read(kind, Encoding.UTF8.GetBytes(json), out error);

    [Fact]
    public void Reads_the_routing_fields_of_a_chat_request()
    {
        var request = Read("""{"messages":[{"role":"user","content":"hi"}],"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true},"prefer_provider":"azure"}""", out var error);

        Assert.Null(error);
        Assert.NotNull(request);
        Assert.Equal("gpt-4o", request.Model);
        Assert.True(request.Stream);
        Assert.True(request.ClientWantsUsage);
        Assert.Equal("azure", request.PreferProvider);
    }

    [Fact]
    public void Treats_absent_stream_fields_as_false()
    {
        var request = Read("""{"model":"m","messages":[]}""", out _)!;

        Assert.False(request.Stream);
        Assert.False(request.ClientWantsUsage);
        Assert.Null(request.PreferProvider);
    }

    [Fact]
    public void Never_streams_embeddings()
    {
        var request = Read("""{"model":"e","input":"x","stream":true}""", out _, EndpointKind.Embeddings)!;

        Assert.False(request.Stream);
    }

    [Theory]
    [InlineData("{\"model\":\"m\",")]
    [InlineData("{\"model\":\"m\"} trailing")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\" \"content\":\"x\"}]}")]
    public void Rejects_malformed_json_with_400(string json)
    {
        Assert.Null(Read(json, out var error));
        Assert.Equal(400, error!.Status);
        Assert.Equal("invalid_json", error.Code);
    }

    [Theory]
    [InlineData("{\"messages\":[]}")]
    [InlineData("{\"model\":null}")]
    [InlineData("{\"model\":\"\"}")]
    public void Rejects_a_missing_model_with_400(string json)
    {
        Assert.Null(Read(json, out var error));
        Assert.Equal(400, error!.Status);
        Assert.Equal("model", error.Param);
    }

    [Fact]
    public void Rejects_a_model_that_is_not_a_string()
    {
        Assert.Null(Read("""{"model":42}""", out var error));
        Assert.Equal(400, error!.Status);
        Assert.Equal("invalid_type", error.Code);
    }

    [Fact]
    public void Error_messages_do_not_echo_the_body()
    {
        Read("""{"model":"m","messages":[{"content":"alice@example.com" "x"}]}""", out var error);

        Assert.DoesNotContain("alice", error!.Message, StringComparison.Ordinal);
    }
}
