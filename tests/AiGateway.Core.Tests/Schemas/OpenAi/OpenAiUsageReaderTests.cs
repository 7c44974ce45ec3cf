using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Tokens;

namespace AiGateway.Core.Tests.Schemas.OpenAi;

public sealed class OpenAiUsageReaderTests
{
    [Fact]
    public void Reads_usage_and_cached_tokens()
    {
        var usage = OpenAiUsageReader.Read("""{"id":"x","usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15,"prompt_tokens_details":{"cached_tokens":4}}}"""u8, out var choicesEmpty);

        Assert.Equal(new TokenUsage(10, 5, 15, 4, true), usage);
        Assert.False(choicesEmpty);
    }

    [Fact]
    public void Tells_a_usage_only_chunk_by_its_empty_choices()
    {
        OpenAiUsageReader.Read("""{"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1}}"""u8, out var choicesEmpty);

        Assert.True(choicesEmpty);
    }

    [Fact]
    public void Lifts_groq_usage_from_x_groq()
    {
        var usage = OpenAiUsageReader.Read("""{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"x_groq":{"id":"req_1","usage":{"prompt_tokens":7,"completion_tokens":3,"total_tokens":10}}}"""u8, out _);

        Assert.Equal(new TokenUsage(7, 3, 10, 0, true), usage);
    }

    [Theory]
    [InlineData("""{"usage":null}""")]
    [InlineData("""{"choices":[{"index":0}]}""")]
    [InlineData("""not json""")]
    public void Reports_nothing_when_there_is_no_usage(string json)
    {
        Assert.False(OpenAiUsageReader.Read(System.Text.Encoding.UTF8.GetBytes(json), out _).Reported);
    }
}
