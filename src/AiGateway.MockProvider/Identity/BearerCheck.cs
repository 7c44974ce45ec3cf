namespace AiGateway.MockProvider.Identity;

/// <summary>The outcome of checking a bearer token against <see cref="IssuedTokens"/>.</summary>
public enum BearerCheck
{
    /// <summary>A token the mock issued, still valid.</summary>
    Accepted,

    /// <summary>No <c>Authorization: Bearer</c> header.</summary>
    Missing,

    /// <summary>A token the mock never issued (or issued by another issuer than required).</summary>
    Unknown,

    /// <summary>A token the mock issued that has expired.</summary>
    Expired,
}
