using AiGateway.MockProvider.Embeddings;
using AiGateway.MockProvider.Tests.TestSupport;

namespace AiGateway.MockProvider.Tests.Embeddings;

public sealed class EmbeddingInputParserTests
{
    [Theory]
    [InlineData("\"hello world\"", 1, 3)]
    [InlineData("[\"a\",\"bbbbb\"]", 2, 3)]
    [InlineData("[1,2,3]", 1, 3)]
    [InlineData("[[1,2],[3]]", 2, 3)]
    public void Accepts_every_OpenAI_input_shape_and_counts_tokens(string input, int count, int tokens)
    {
        // Act
        var ok = EmbeddingInputParser.TryParse(RequestJson.Parse(input), out var inputs, out var error);

        // Assert
        Assert.True(ok);
        Assert.Null(error);
        Assert.Equal(count, inputs.Count);
        Assert.Equal(tokens, inputs.Sum(i => i.Tokens));
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("[]")]
    [InlineData("[\"a\",1]")]
    [InlineData("[[1],\"a\"]")]
    [InlineData("[[]]")]
    [InlineData("[-1]")]
    [InlineData("{}")]
    [InlineData("true")]
    public void Rejects_empty_or_mixed_inputs(string input)
    {
        // Act
        var ok = EmbeddingInputParser.TryParse(RequestJson.Parse(input), out _, out var error);

        // Assert
        Assert.False(ok);
        Assert.Equal(400, error?.Status);
        Assert.Equal("input", error?.Param);
    }

    [Fact]
    public void A_missing_input_is_a_missing_parameter()
    {
        // Act
        var ok = EmbeddingInputParser.TryParse(null, out _, out var error);

        // Assert
        Assert.False(ok);
        Assert.Equal("Missing required parameter: 'input'.", error?.Message);
    }
}
