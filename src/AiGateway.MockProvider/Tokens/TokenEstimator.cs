namespace AiGateway.MockProvider.Tokens;

/// <summary>
/// The mock's deterministic token rule (documented in README):
/// text of N characters is ceil(N / 4) tokens; a chat prompt is ceil(total content characters / 4)
/// plus 3 per message; an embedding input is ceil(characters / 4), or its length for a token array.
/// </summary>
internal static class TokenEstimator
{
    /// <summary>Tokens added per chat message, like OpenAI's per-message overhead.</summary>
    public const int PerMessageTokens = 3;

    /// <summary>Characters per token.</summary>
    public const int CharsPerToken = 4;

    /// <summary>ceil(<paramref name="chars"/> / 4).</summary>
    public static int ForText(int chars)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chars);
        return (int)(((long)chars + CharsPerToken - 1) / CharsPerToken);
    }

    /// <summary>ceil(<paramref name="totalContentChars"/> / 4) + 3 × <paramref name="messageCount"/>.</summary>
    public static int ForPrompt(long totalContentChars, int messageCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalContentChars);
        ArgumentOutOfRangeException.ThrowIfNegative(messageCount);
        var text = (totalContentChars + CharsPerToken - 1) / CharsPerToken;
        return (int)Math.Min(int.MaxValue, text + ((long)PerMessageTokens * messageCount));
    }
}
