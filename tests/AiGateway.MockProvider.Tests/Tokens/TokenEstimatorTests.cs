using AiGateway.MockProvider.Tokens;

namespace AiGateway.MockProvider.Tests.Tokens;

public sealed class TokenEstimatorTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(4, 1)]
    [InlineData(5, 2)]
    [InlineData(40, 10)]
    public void Text_tokens_are_characters_divided_by_four_rounded_up(int chars, int expected)
    {
        // Act
        var tokens = TokenEstimator.ForText(chars);

        // Assert
        Assert.Equal(expected, tokens);
    }

    [Fact]
    public void Prompt_tokens_are_ceiling_of_total_characters_over_four_plus_three_per_message()
    {
        // Arrange: two messages with 25 + 2 = 27 characters.

        // Act
        var tokens = TokenEstimator.ForPrompt(totalContentChars: 27, messageCount: 2);

        // Assert: ceil(27 / 4) = 7, plus 2 × 3.
        Assert.Equal(13, tokens);
    }
}
