namespace AiGateway.Core.Tokens;

/// <summary>Token counts of one exchange, normalised to OpenAI semantics (cached is a subset of input).</summary>
/// <param name="InputTokens">Prompt tokens, cached ones included.</param>
/// <param name="OutputTokens">Completion tokens.</param>
/// <param name="TotalTokens">Input plus output.</param>
/// <param name="CachedInputTokens">Prompt tokens served from the provider's cache.</param>
/// <param name="Reported">True when the provider reported the counts.</param>
public readonly record struct TokenUsage(long InputTokens, long OutputTokens, long TotalTokens, long CachedInputTokens, bool Reported)
{
    /// <summary>Nothing reported.</summary>
    public static TokenUsage None => default;
}
