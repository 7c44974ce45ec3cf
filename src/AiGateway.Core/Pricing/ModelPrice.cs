namespace AiGateway.Core.Pricing;

/// <summary>
/// One model's prices in micro-USD per token, which is the same number as USD per million tokens.
/// Prices a provider does not set separately are already filled in (cached input and cache writes at the
/// input price, reasoning at the output price).
/// </summary>
/// <param name="Input">Uncached prompt tokens.</param>
/// <param name="Output">Completion tokens that are not reasoning.</param>
/// <param name="CachedInput">Prompt tokens read from the provider's cache.</param>
/// <param name="CacheWrite">Prompt tokens written to the provider's cache.</param>
/// <param name="Reasoning">Reasoning tokens.</param>
public sealed record ModelPrice(decimal Input, decimal Output, decimal CachedInput, decimal CacheWrite, decimal Reasoning)
{
    /// <summary>Builds a price from USD-per-token figures as gateway.yaml writes them.</summary>
    public static ModelPrice FromUsdPerToken(decimal input, decimal output, decimal? cachedInput, decimal? cacheWrite, decimal? reasoning) =>
        new(input * Million, output * Million, (cachedInput ?? input) * Million, (cacheWrite ?? input) * Million, (reasoning ?? output) * Million);

    private const decimal Million = 1_000_000m;
}
