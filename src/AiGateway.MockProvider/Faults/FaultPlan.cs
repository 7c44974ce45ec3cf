using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace AiGateway.MockProvider.Faults;

/// <summary>The fault to apply to one request: a matching <see cref="FaultRule"/> overridden by <c>x-mock-*</c> headers.</summary>
internal sealed record FaultPlan
{
    public static FaultPlan None { get; } = new();

    public int? StatusCode { get; init; }

    public int? RetryAfterSeconds { get; init; }

    public string? ErrorMessage { get; init; }

    public TimeSpan Delay { get; init; }

    public TimeSpan? ChunkDelay { get; init; }

    public int? ResetAfterEvents { get; init; }

    public bool ResetBeforeResponse { get; init; }

    public int? StreamErrorAfterEvents { get; init; }

    /// <summary>True when nothing is injected.</summary>
    public bool IsNone => this == None;

    /// <summary>Only the fields that inject something, e.g. <c>status=429 retry_after=2</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (StatusCode is { } status)
        {
            parts.Add($"status={status}");
        }

        if (RetryAfterSeconds is { } retryAfter)
        {
            parts.Add($"retry_after={retryAfter}s");
        }

        if (Delay > TimeSpan.Zero)
        {
            parts.Add($"delay={Delay.TotalMilliseconds}ms");
        }

        if (ChunkDelay is { } chunkDelay)
        {
            parts.Add($"chunk_delay={chunkDelay.TotalMilliseconds}ms");
        }

        if (ResetBeforeResponse)
        {
            parts.Add("reset_before_response");
        }

        if (ResetAfterEvents is { } resetAfter)
        {
            parts.Add($"reset_after_events={resetAfter}");
        }

        if (StreamErrorAfterEvents is { } errorAfter)
        {
            parts.Add($"stream_error_after_events={errorAfter}");
        }

        return parts.Count == 0 ? "none" : string.Join(' ', parts);
    }

    /// <summary>
    /// Combines <paramref name="rule"/> (may be null) with the request's <c>x-mock-*</c> headers, which win.
    /// Returns false with a message naming the header when a header value is invalid.
    /// </summary>
    public static bool TryCreate(FaultRule? rule, IHeaderDictionary headers, out FaultPlan plan, out string? error)
    {
        ArgumentNullException.ThrowIfNull(headers);
        plan = rule is null
            ? None
            : new FaultPlan
            {
                StatusCode = rule.StatusCode,
                RetryAfterSeconds = rule.RetryAfterSeconds,
                ErrorMessage = rule.ErrorMessage,
                Delay = rule.Delay ?? TimeSpan.Zero,
                ChunkDelay = rule.ChunkDelay,
                ResetAfterEvents = rule.ResetAfterEvents,
                ResetBeforeResponse = rule.ResetBeforeResponse,
                StreamErrorAfterEvents = rule.StreamErrorAfterEvents,
            };

        error = null;
        if (!TryReadInt(headers, MockHeaders.Status, 400, 599, ref error, out var status)
            || !TryReadInt(headers, MockHeaders.RetryAfter, 0, int.MaxValue, ref error, out var retryAfter)
            || !TryReadInt(headers, MockHeaders.DelayMs, 0, int.MaxValue, ref error, out var delayMs)
            || !TryReadInt(headers, MockHeaders.ChunkDelayMs, 0, int.MaxValue, ref error, out var chunkDelayMs)
            || !TryReadInt(headers, MockHeaders.ResetAfterEvents, 0, int.MaxValue, ref error, out var resetAfter)
            || !TryReadInt(headers, MockHeaders.StreamErrorAfterEvents, 0, int.MaxValue, ref error, out var errorAfter)
            || !TryReadBool(headers, MockHeaders.ResetBeforeResponse, ref error, out var resetBefore))
        {
            return false;
        }

        if (status is null && retryAfter is null && delayMs is null && chunkDelayMs is null
            && resetAfter is null && errorAfter is null && resetBefore is null)
        {
            return true;
        }

        plan = plan with
        {
            StatusCode = status ?? plan.StatusCode,
            RetryAfterSeconds = retryAfter ?? plan.RetryAfterSeconds,
            Delay = delayMs is { } d ? TimeSpan.FromMilliseconds(d) : plan.Delay,
            ChunkDelay = chunkDelayMs is { } c ? TimeSpan.FromMilliseconds(c) : plan.ChunkDelay,
            ResetAfterEvents = resetAfter ?? plan.ResetAfterEvents,
            StreamErrorAfterEvents = errorAfter ?? plan.StreamErrorAfterEvents,
            ResetBeforeResponse = resetBefore ?? plan.ResetBeforeResponse,
        };
        return true;
    }

    private static bool TryReadInt(IHeaderDictionary headers, string name, int min, int max, ref string? error, out int? value)
    {
        value = null;
        if (!headers.TryGetValue(name, out var raw))
        {
            return true;
        }

        if (int.TryParse(raw.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            && parsed >= min && parsed <= max)
        {
            value = parsed;
            return true;
        }

        error = max == int.MaxValue
            ? $"Invalid '{name}' header: expected an integer >= {min}, got '{raw}'."
            : $"Invalid '{name}' header: expected an integer in {min}..{max}, got '{raw}'.";
        return false;
    }

    private static bool TryReadBool(IHeaderDictionary headers, string name, ref string? error, out bool? value)
    {
        value = null;
        if (!headers.TryGetValue(name, out var raw))
        {
            return true;
        }

        var text = raw.ToString().Trim();
        if (text is "1" || text.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            value = true;
            return true;
        }

        if (text is "0" || text.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            value = false;
            return true;
        }

        error = $"Invalid '{name}' header: expected true, false, 1 or 0, got '{raw}'.";
        return false;
    }
}
