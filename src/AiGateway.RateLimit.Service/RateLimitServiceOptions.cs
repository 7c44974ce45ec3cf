namespace AiGateway.RateLimit.Service;

/// <summary>Optional response extras of the gRPC service (the reference service's settings of the same purpose).</summary>
public sealed class RateLimitServiceOptions
{
    /// <summary><c>LIMIT_RESPONSE_HEADERS_ENABLED</c>: add RateLimit-Limit/Remaining/Reset response headers.</summary>
    public bool ResponseHeadersEnabled { get; init; }

    /// <summary><c>LIMIT_LIMIT_HEADER</c>.</summary>
    public string LimitHeader { get; init; } = "RateLimit-Limit";

    /// <summary><c>LIMIT_REMAINING_HEADER</c>.</summary>
    public string RemainingHeader { get; init; } = "RateLimit-Remaining";

    /// <summary><c>LIMIT_RESET_HEADER</c>.</summary>
    public string ResetHeader { get; init; } = "RateLimit-Reset";

    /// <summary><c>RESPONSE_DYNAMIC_METADATA</c>: describe the call in the response's dynamic metadata.</summary>
    public bool DynamicMetadataEnabled { get; init; }
}
