namespace AiGateway.Core.Upstreams;

/// <summary>
/// What a provider's response said about its rate limits, in one shape for every provider
/// (provider-apis.md §8.5). Null means the provider did not say.
/// </summary>
/// <param name="RemainingRequests">Requests left in the current window.</param>
/// <param name="RemainingTokens">Tokens left in the current window.</param>
/// <param name="RequestsResetIn">Time until the request window resets.</param>
/// <param name="TokensResetIn">Time until the token window resets.</param>
/// <param name="RetryAfter">How long the provider asked us to wait (429/503).</param>
public sealed record ProviderRateLimits(long? RemainingRequests, long? RemainingTokens, TimeSpan? RequestsResetIn, TimeSpan? TokensResetIn, TimeSpan? RetryAfter)
{
    /// <summary>True when the provider said nothing at all.</summary>
    public bool IsEmpty => RemainingRequests is null && RemainingTokens is null && RequestsResetIn is null && TokensResetIn is null && RetryAfter is null;
}
