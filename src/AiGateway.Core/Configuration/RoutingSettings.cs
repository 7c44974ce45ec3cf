namespace AiGateway.Core.Configuration;

/// <summary>The compiled <c>routing</c> section.</summary>
/// <param name="FallbackEnabled">Whether a failed attempt moves on to the next provider.</param>
/// <param name="FallbackOn">Which failures move on.</param>
/// <param name="RetryAttempts">How many more attempts Envoy may make after the first.</param>
/// <param name="RetryDelay">Base back-off between attempts.</param>
public sealed record RoutingSettings(bool FallbackEnabled, FallbackError FallbackOn, int RetryAttempts, TimeSpan RetryDelay)
{
    /// <summary>Defaults when gateway.yaml has no routing section.</summary>
    public static RoutingSettings Default { get; } = new(
        true,
        FallbackError.RateLimitExceeded | FallbackError.ServiceUnavailable | FallbackError.Timeout | FallbackError.ConnectionError,
        2,
        TimeSpan.FromMilliseconds(25));
}
