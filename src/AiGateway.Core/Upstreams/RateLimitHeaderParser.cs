using System.Globalization;
using AiGateway.Core.Configuration;

namespace AiGateway.Core.Upstreams;

/// <summary>
/// Reads each provider's rate-limit response headers into <see cref="ProviderRateLimits"/>: OpenAI-style
/// <c>x-ratelimit-*</c> with Go durations (<c>6m0s</c>, <c>12ms</c>), Azure's <c>retry-after-ms</c>,
/// Anthropic's <c>anthropic-ratelimit-*</c> with RFC 3339 reset times, Mistral's per-minute names, and
/// <c>retry-after</c> in seconds or as an HTTP date.
/// </summary>
public static class RateLimitHeaderParser
{
    /// <summary>Parses the headers of one response.</summary>
    /// <param name="schema">The provider's wire format.</param>
    /// <param name="header">Returns a header's value (lower-case name), or null.</param>
    /// <param name="now">Current time, for absolute reset times.</param>
    public static ProviderRateLimits Parse(ApiSchema schema, Func<string, string?> header, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(header);
        var retryAfter = RetryAfter(header, now);
        return schema switch
        {
            ApiSchema.Anthropic => new ProviderRateLimits(
                Long(header("anthropic-ratelimit-requests-remaining")),
                Long(header("anthropic-ratelimit-tokens-remaining")),
                Until(header("anthropic-ratelimit-requests-reset"), now),
                Until(header("anthropic-ratelimit-tokens-reset"), now),
                retryAfter),
            _ => new ProviderRateLimits(
                Long(header("x-ratelimit-remaining-requests")) ?? Long(header("x-ratelimit-remaining-req-minute")),
                Long(header("x-ratelimit-remaining-tokens")) ?? Long(header("x-ratelimit-remaining-tokens-minute")),
                GoDuration(header("x-ratelimit-reset-requests")),
                GoDuration(header("x-ratelimit-reset-tokens")),
                retryAfter),
        };
    }

    /// <summary>Parses a Go-style duration such as <c>1s</c>, <c>6m0s</c>, <c>1h2m3.5s</c> or <c>12ms</c>.</summary>
    public static TimeSpan? GoDuration(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var span = text.AsSpan().Trim();
        var total = 0.0;
        while (!span.IsEmpty)
        {
            var digits = 0;
            while (digits < span.Length && (char.IsAsciiDigit(span[digits]) || span[digits] == '.'))
            {
                digits++;
            }

            if (digits == 0 || !double.TryParse(span[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                return null;
            }

            span = span[digits..];
            var (unitLength, seconds) = span switch
            {
                _ when span.StartsWith("ms") => (2, 0.001),
                _ when span.StartsWith("us") || span.StartsWith("µs") => (2, 0.000001),
                _ when span.StartsWith("ns") => (2, 0.000000001),
                _ when span.StartsWith("h") => (1, 3600.0),
                _ when span.StartsWith("m") => (1, 60.0),
                _ when span.StartsWith("s") => (1, 1.0),
                _ => (0, 0.0),
            };
            if (unitLength == 0)
            {
                return null;
            }

            total += amount * seconds;
            span = span[unitLength..];
        }

        return TimeSpan.FromSeconds(total);
    }

    private static TimeSpan? RetryAfter(Func<string, string?> header, DateTimeOffset now)
    {
        if (Long(header("retry-after-ms")) is { } milliseconds)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        var value = header("retry-after");
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? Max0(at - now)
            : null;
    }

    private static TimeSpan? Until(string? value, DateTimeOffset now) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? Max0(at - now) : null;

    private static TimeSpan Max0(TimeSpan span) => span < TimeSpan.Zero ? TimeSpan.Zero : span;

    private static long? Long(string? value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed >= 0 ? parsed : null;
}
