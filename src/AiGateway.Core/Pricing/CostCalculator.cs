using AiGateway.Core.Tokens;

namespace AiGateway.Core.Pricing;

/// <summary>Prices normalised usage (<see cref="TokenUsage"/>, OpenAI semantics) with a <see cref="ModelPrice"/>.</summary>
public static class CostCalculator
{
    /// <summary>
    /// The cost in micro-USD, unrounded:
    /// (input − cached − cache writes) × input price + cached × cached price + cache writes × cache-write price
    /// + (output − reasoning) × output price + reasoning × reasoning price.
    /// Sub-counts larger than their total (a provider's inconsistency) are clamped to it.
    /// </summary>
    public static decimal MicroUsd(in TokenUsage usage, ModelPrice price)
    {
        ArgumentNullException.ThrowIfNull(price);
        var input = Math.Max(0, usage.InputTokens);
        var cached = Math.Clamp(usage.CachedInputTokens, 0, input);
        var written = Math.Clamp(usage.CacheWriteInputTokens, 0, input - cached);
        var output = Math.Max(0, usage.OutputTokens);
        var reasoning = Math.Clamp(usage.ReasoningTokens, 0, output);
        return ((input - cached - written) * price.Input)
            + (cached * price.CachedInput)
            + (written * price.CacheWrite)
            + ((output - reasoning) * price.Output)
            + (reasoning * price.Reasoning);
    }

    /// <summary>The cost in whole micro-USD, rounded half away from zero (metadata <c>cost_usd_micros</c>).</summary>
    public static long RoundedMicroUsd(in TokenUsage usage, ModelPrice price) =>
        (long)Math.Round(MicroUsd(usage, price), MidpointRounding.AwayFromZero);

    /// <summary>USD with six decimals, e.g. <c>0.001234</c> (header <c>x-ai-gateway-cost</c>).</summary>
    public static string FormatUsd(long microUsd) =>
        (microUsd / 1_000_000m).ToString("0.000000", System.Globalization.CultureInfo.InvariantCulture);
}
