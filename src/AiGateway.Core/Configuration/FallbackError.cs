namespace AiGateway.Core.Configuration;

/// <summary>The kinds of provider failure that move a request on to the next provider.</summary>
[Flags]
public enum FallbackError
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>HTTP 429.</summary>
    RateLimitExceeded = 1,

    /// <summary>HTTP 503.</summary>
    ServiceUnavailable = 2,

    /// <summary>No answer in time.</summary>
    Timeout = 4,

    /// <summary>Any HTTP 5xx.</summary>
    ServerError = 8,

    /// <summary>Connection refused or reset.</summary>
    ConnectionError = 16,
}
