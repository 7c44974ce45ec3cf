using AiGateway.RateLimit.Configuration;

namespace AiGateway.RateLimit.Limiting;

/// <summary>The status of one request descriptor, index-aligned with the request.</summary>
/// <param name="Code">OK or over the limit.</param>
/// <param name="Limit">The limit that applied (<c>current_limit</c>); null when none did.</param>
/// <param name="Remaining">Hits left in the window (<c>limit_remaining</c>); <see cref="uint.MaxValue"/> when unlimited.</param>
/// <param name="ResetSeconds">Seconds until the window ends (<c>duration_until_reset</c>); 0 without a limit.</param>
public readonly record struct DescriptorDecision(LimitCode Code, LimitRule? Limit, uint Remaining, long ResetSeconds)
{
    /// <summary>No limit applied.</summary>
    public static DescriptorDecision NoLimit { get; } = new(LimitCode.Ok, null, 0, 0);

    /// <summary>An unlimited rule applied.</summary>
    public static DescriptorDecision Unlimited { get; } = new(LimitCode.Ok, null, uint.MaxValue, 0);
}
