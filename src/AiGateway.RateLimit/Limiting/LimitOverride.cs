using AiGateway.RateLimit.Configuration;

namespace AiGateway.RateLimit.Limiting;

/// <summary>A limit the request carries itself (Envoy's descriptor <c>limit</c>), used instead of the configured one.</summary>
/// <param name="RequestsPerUnit">Allowed hits per window.</param>
/// <param name="Unit">The window.</param>
public sealed record LimitOverride(uint RequestsPerUnit, RateLimitUnit Unit);
