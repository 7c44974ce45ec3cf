namespace AiGateway.RateLimit.Storage;

/// <summary>The counter store failed or did not answer within its deadline; the call cannot be decided.</summary>
public sealed class RateLimitStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RateLimitStoreException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RateLimitStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public RateLimitStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
