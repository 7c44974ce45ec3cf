namespace AiGateway.Core.Tokens;

/// <summary>Token counts of one exchange, normalised to OpenAI semantics (cached is a subset of input).</summary>
/// <param name="InputTokens">Prompt tokens, cached and cache-written ones included.</param>
/// <param name="OutputTokens">Completion tokens, reasoning ones included.</param>
/// <param name="TotalTokens">Input plus output.</param>
/// <param name="CachedInputTokens">Prompt tokens served from the provider's cache.</param>
/// <param name="Reported">True when the provider reported the counts.</param>
public readonly record struct TokenUsage(long InputTokens, long OutputTokens, long TotalTokens, long CachedInputTokens, bool Reported)
{
    /// <summary>Nothing reported.</summary>
    public static TokenUsage None => default;

    /// <summary>Prompt tokens written to the provider's cache (Anthropic, Bedrock); a subset of <see cref="InputTokens"/>.</summary>
    public long CacheWriteInputTokens { get; init; }

    /// <summary>Reasoning ("thinking") tokens; a subset of <see cref="OutputTokens"/>.</summary>
    public long ReasoningTokens { get; init; }

    /// <summary>True when the gateway counted the tokens itself because the provider reported none.</summary>
    public bool Estimated { get; init; }
}
