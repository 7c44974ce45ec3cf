namespace AiGateway.RateLimit.Limiting;

/// <summary>The call cannot be decided because of the request or the service state (the reference's "service error").</summary>
public sealed class RateLimitRequestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RateLimitRequestException()
    {
    }

    /// <summary>Creates the exception with the reference service's message, e.g. <c>rate limit domain must not be empty</c>.</summary>
    public RateLimitRequestException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public RateLimitRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
