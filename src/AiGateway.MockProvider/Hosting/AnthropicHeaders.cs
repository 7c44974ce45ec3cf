using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace AiGateway.MockProvider.Hosting;

/// <summary>
/// Headers Anthropic puts on every Messages response: <c>request-id</c> and the
/// <c>anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}</c> family,
/// whose reset values are RFC 3339 timestamps (not durations).
/// </summary>
internal static class AnthropicHeaders
{
    public const int LimitRequests = 4_000;
    public const int LimitInputTokens = 2_000_000;
    public const int LimitOutputTokens = 400_000;
    public const int LimitTokens = LimitInputTokens + LimitOutputTokens;

    /// <summary>The budgets are back in full this long after a request.</summary>
    public static readonly TimeSpan ResetAfter = TimeSpan.FromSeconds(1);

    public static void Apply(HttpResponse response, string requestId, int bodyLength, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(time);
        var headers = response.Headers;
        var reset = Rfc3339(time.GetUtcNow() + ResetAfter);
        var inputTokens = (bodyLength + 3) / 4;
        headers["request-id"] = requestId;
        headers["anthropic-organization-id"] = "mock-org";
        Set(headers, "requests", LimitRequests, LimitRequests - 1, reset);
        Set(headers, "tokens", LimitTokens, LimitTokens - inputTokens, reset);
        Set(headers, "input-tokens", LimitInputTokens, LimitInputTokens - inputTokens, reset);
        Set(headers, "output-tokens", LimitOutputTokens, LimitOutputTokens, reset);
    }

    /// <summary>429 headers: <c>retry-after</c>, no requests left, reset <paramref name="retryAfterSeconds"/> from now.</summary>
    public static void ApplyRateLimited(HttpResponse response, int retryAfterSeconds, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(time);
        var reset = Rfc3339(time.GetUtcNow().AddSeconds(retryAfterSeconds));
        response.Headers["retry-after"] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        response.Headers["anthropic-ratelimit-requests-remaining"] = "0";
        response.Headers["anthropic-ratelimit-requests-reset"] = reset;
    }

    /// <summary>UTC, whole seconds, e.g. <c>2026-01-02T03:04:06Z</c>.</summary>
    public static string Rfc3339(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void Set(IHeaderDictionary headers, string kind, int limit, int remaining, string reset)
    {
        headers[$"anthropic-ratelimit-{kind}-limit"] = limit.ToString(CultureInfo.InvariantCulture);
        headers[$"anthropic-ratelimit-{kind}-remaining"] = Math.Max(0, remaining).ToString(CultureInfo.InvariantCulture);
        headers[$"anthropic-ratelimit-{kind}-reset"] = reset;
    }
}
