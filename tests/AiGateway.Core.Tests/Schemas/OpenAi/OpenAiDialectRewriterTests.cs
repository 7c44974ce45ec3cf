using System.Buffers;
using System.Text.Json.Nodes;
using AiGateway.Core.Configuration;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.TestKit;

namespace AiGateway.Core.Tests.Schemas.OpenAi;

public sealed class OpenAiDialectRewriterTests
{
    private const string Folder = "Translation/OpenAiToOpenAiCompatible";

    [Fact]
    public void Gives_mistral_nine_character_tool_call_ids_that_still_pair_calls_with_results()
    {
        var body = FixtureFiles.Bytes(Folder, "mistral-tool-history.request.json");
        var output = new ArrayBufferWriter<byte>();

        var error = OpenAiDialectRewriter.Rewrite(OpenAiDialect.Mistral, body, output);

        Assert.Null(error);
        var root = JsonNode.Parse(output.WrittenSpan)!.AsObject();
        var callId = (string)root["messages"]![2]!["tool_calls"]![0]!["id"]!;
        Assert.Matches("^[A-Za-z0-9]{9}$", callId);
        Assert.Equal(callId, (string)root["messages"]![3]!["tool_call_id"]!);
    }

    [Fact]
    public void Spells_required_tool_choice_and_seed_the_mistral_way_and_drops_names_and_nulls()
    {
        var body = FixtureFiles.Bytes(Folder, "mistral-tool-history.request.json");
        var output = new ArrayBufferWriter<byte>();

        OpenAiDialectRewriter.Rewrite(OpenAiDialect.Mistral, body, output);

        var root = JsonNode.Parse(output.WrittenSpan)!.AsObject();
        Assert.Equal("any", (string)root["tool_choice"]!);
        Assert.Equal(7, (int)root["random_seed"]!);
        Assert.False(root.ContainsKey("seed"));
        Assert.False(root["messages"]![0]!.AsObject().ContainsKey("name"));
        Assert.False(root["messages"]![1]!.AsObject().ContainsKey("name"));
        Assert.False(root["messages"]![2]!.AsObject().ContainsKey("content"));
    }

    [Fact]
    public void Keeps_ids_that_mistral_already_accepts()
    {
        Assert.Equal("D681PevKs", OpenAiDialectRewriter.MistralToolCallId("D681PevKs"));
        Assert.Equal(OpenAiDialectRewriter.MistralToolCallId("call_1"), OpenAiDialectRewriter.MistralToolCallId("call_1"));
        Assert.NotEqual(OpenAiDialectRewriter.MistralToolCallId("call_1"), OpenAiDialectRewriter.MistralToolCallId("call_2"));
    }

    [Theory]
    [InlineData("""{"model":"llama-3.3-70b-versatile","messages":[],"logprobs":true}""", "logprobs")]
    [InlineData("""{"model":"llama-3.3-70b-versatile","messages":[],"top_logprobs":2}""", "top_logprobs")]
    [InlineData("""{"model":"llama-3.3-70b-versatile","messages":[],"logit_bias":{"50256":-100}}""", "logit_bias")]
    [InlineData("""{"model":"llama-3.3-70b-versatile","messages":[],"n":2}""", "n")]
    public void Refuses_what_groq_cannot_do_with_a_400_naming_the_parameter(string body, string param)
    {
        var error = OpenAiDialectRewriter.Rewrite(OpenAiDialect.Groq, System.Text.Encoding.UTF8.GetBytes(body), new ArrayBufferWriter<byte>());

        Assert.NotNull(error);
        Assert.Equal(400, error.Status);
        Assert.Equal(param, error.Param);
    }

    [Fact]
    public void Lets_groq_requests_through_without_message_names()
    {
        var body = """{"model":"llama-3.3-70b-versatile","logprobs":false,"n":1,"messages":[{"role":"user","name":"bob","content":"hi"}]}"""u8.ToArray();
        var output = new ArrayBufferWriter<byte>();

        Assert.Null(OpenAiDialectRewriter.Rewrite(OpenAiDialect.Groq, body, output));
        Assert.Equal("""{"model":"llama-3.3-70b-versatile","logprobs":false,"n":1,"messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8.GetString(output.WrittenSpan));
    }
}
