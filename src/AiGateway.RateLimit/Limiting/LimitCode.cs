namespace AiGateway.RateLimit.Limiting;

/// <summary>A decision code; the numbers are the wire numbers of <c>RateLimitResponse.Code</c>.</summary>
public enum LimitCode
{
    /// <summary>Never produced (Envoy treats it as OK).</summary>
    Unknown = 0,

    /// <summary>Allowed.</summary>
    Ok = 1,

    /// <summary>Over the limit.</summary>
    OverLimit = 2,
}
