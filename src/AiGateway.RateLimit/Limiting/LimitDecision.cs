using AiGateway.RateLimit.Configuration;

namespace AiGateway.RateLimit.Limiting;

/// <summary>The answer to one <c>ShouldRateLimit</c> call.</summary>
/// <param name="Code">The overall code.</param>
/// <param name="Statuses">One status per request descriptor, in request order.</param>
/// <param name="Matches">The limit each descriptor matched (after <c>replaces</c>; unlimited ones kept), for response extras.</param>
public sealed record LimitDecision(LimitCode Code, DescriptorDecision[] Statuses, MatchedLimit?[] Matches)
{
    /// <summary>
    /// Why the counter store could not decide the call (failed or missed its deadline), or null when it did. A failed
    /// decision has no statuses; the service answers it with gRPC UNAVAILABLE.
    /// </summary>
    public string? StoreFailure { get; init; }

    /// <summary>A call the counter store could not decide.</summary>
    public static LimitDecision Failed(string storeFailure) => new(LimitCode.Ok, [], []) { StoreFailure = storeFailure };
}
