using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace AiGateway.MockProvider.Hosting;

/// <summary>Headers OpenAI puts on every response: <c>x-request-id</c>, <c>openai-*</c> and <c>x-ratelimit-*</c>.</summary>
internal static class StandardHeaders
{
    public const int LimitRequests = 10_000;
    public const int LimitTokens = 30_000_000;

    public static void Apply(HttpResponse response, long requestNumber, int bodyLength, TimeProvider time, long startTimestamp)
    {
        ArgumentNullException.ThrowIfNull(response);
        var headers = response.Headers;
        headers["x-request-id"] = $"req_mock_{requestNumber.ToString(CultureInfo.InvariantCulture)}";
        headers["openai-version"] = "2020-10-01";
        headers["openai-organization"] = "mock-org";
        headers["x-ratelimit-limit-requests"] = LimitRequests.ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-limit-tokens"] = LimitTokens.ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-remaining-requests"] = (LimitRequests - 1).ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-remaining-tokens"] = (LimitTokens - ((bodyLength + 3) / 4)).ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-reset-requests"] = "6ms";
        headers["x-ratelimit-reset-tokens"] = "0s";
        response.OnStarting(static state =>
        {
            var (r, t, start) = ((HttpResponse, TimeProvider, long))state;
            r.Headers["openai-processing-ms"] =
                ((long)t.GetElapsedTime(start).TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        }, (response, time, startTimestamp));
    }

    /// <summary>429 headers: <c>retry-after</c> and exhausted request/token budgets.</summary>
    public static void ApplyRateLimited(HttpResponse response, int retryAfterSeconds)
    {
        ArgumentNullException.ThrowIfNull(response);
        var seconds = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        response.Headers["retry-after"] = seconds;
        response.Headers["x-ratelimit-remaining-requests"] = "0";
        response.Headers["x-ratelimit-remaining-tokens"] = "0";
        response.Headers["x-ratelimit-reset-requests"] = seconds + "s";
        response.Headers["x-ratelimit-reset-tokens"] = seconds + "s";
    }
}
