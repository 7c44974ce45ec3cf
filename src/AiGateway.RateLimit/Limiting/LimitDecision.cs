using AiGateway.RateLimit.Configuration;

namespace AiGateway.RateLimit.Limiting;

/// <summary>The answer to one <c>ShouldRateLimit</c> call.</summary>
/// <param name="Code">The overall code.</param>
/// <param name="Statuses">One status per request descriptor, in request order.</param>
/// <param name="Matches">The limit each descriptor matched (after <c>replaces</c>; unlimited ones kept), for response extras.</param>
public sealed record LimitDecision(LimitCode Code, DescriptorDecision[] Statuses, MatchedLimit?[] Matches);
