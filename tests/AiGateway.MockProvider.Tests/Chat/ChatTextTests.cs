using AiGateway.MockProvider.Chat;
using AiGateway.MockProvider.Tests.TestSupport;

namespace AiGateway.MockProvider.Tests.Chat;

public sealed class ChatTextTests
{
    [Fact]
    public void Extract_returns_string_content_as_is()
    {
        Assert.Equal("hello", ChatText.Extract(RequestJson.Parse("\"hello\"")));
    }

    [Fact]
    public void Extract_joins_text_parts_with_newlines_and_skips_other_parts()
    {
        // Arrange
        var content = RequestJson.Parse("""
            [{"type":"text","text":"one"},{"type":"image_url","image_url":{"url":"http://x"}},{"type":"text","text":"two"}]
            """);

        // Act
        var text = ChatText.Extract(content);

        // Assert
        Assert.Equal("one\ntwo", text);
    }

    [Fact]
    public void Extract_returns_empty_for_null_content()
    {
        Assert.Equal(string.Empty, ChatText.Extract(null));
        Assert.Equal(string.Empty, ChatText.Extract(RequestJson.Parse("null")));
    }

    [Fact]
    public void Split_words_keeps_leading_whitespace_on_each_piece_and_concatenates_back()
    {
        // Act
        var pieces = ChatText.SplitWords("Mock reply to:  hi there");

        // Assert
        Assert.Equal(["Mock", " reply", " to:", "  hi", " there"], pieces);
        Assert.Equal("Mock reply to:  hi there", string.Concat(pieces));
    }

    [Fact]
    public void Split_words_of_empty_text_gives_no_pieces()
    {
        Assert.Empty(ChatText.SplitWords(string.Empty));
    }

    [Fact]
    public void Truncate_never_splits_a_surrogate_pair()
    {
        // Arrange: "ab" then an emoji (two UTF-16 chars).
        var text = "ab\U0001F600cd";

        // Act
        var truncated = ChatText.Truncate(text, 3);

        // Assert
        Assert.Equal("ab", truncated);
    }

    [Fact]
    public void Split_fixed_produces_pieces_of_at_most_the_size_that_concatenate_back()
    {
        // Act
        var pieces = ChatText.SplitFixed("{\"location\":\"Paris\"}", 8);

        // Assert
        Assert.All(pieces, p => Assert.InRange(p.Length, 1, 8));
        Assert.Equal("{\"location\":\"Paris\"}", string.Concat(pieces));
    }
}
