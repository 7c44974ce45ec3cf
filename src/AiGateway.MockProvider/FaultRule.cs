namespace AiGateway.MockProvider;

/// <summary>
/// A fault the mock provider injects into matching requests. Rules are tried in the order they
/// were added; the first one that matches and still has uses left is applied (and one use consumed).
/// One rule may combine a delay with a status, a reset or a mid-stream error.
/// </summary>
public sealed record FaultRule
{
    /// <summary>Ordinal prefix of the request path (without query), e.g. <c>/v1/chat/completions</c>. Default <c>/</c> (all).</summary>
    public string PathPrefix { get; init; } = "/";

    /// <summary>When set, only requests whose body <c>model</c> equals this value match.</summary>
    public string? Model { get; init; }

    /// <summary>How many requests this rule applies to; <see langword="null"/> means always.</summary>
    public int? Times { get; init; }

    /// <summary>Answer with this status (400..599) and an OpenAI error body (Anthropic's on a <c>/messages</c> path).</summary>
    public int? StatusCode { get; init; }

    /// <summary><c>retry-after</c> seconds sent with <see cref="StatusCode"/>; 429 defaults to 1.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Overrides the error message of <see cref="StatusCode"/> or of a mid-stream error.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>Fixed delay before anything is sent.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>Delay between SSE events (overrides <see cref="MockProviderOptions.ChunkDelay"/>).</summary>
    public TimeSpan? ChunkDelay { get; init; }

    /// <summary>Abort the connection after this many SSE events; for a JSON answer, after half its body.</summary>
    public int? ResetAfterEvents { get; init; }

    /// <summary>Abort the connection before any response byte is sent.</summary>
    public bool ResetBeforeResponse { get; init; }

    /// <summary>
    /// After this many SSE events, send a <c>data: {"error":...}</c> event (Anthropic: <c>event: error</c>,
    /// <c>overloaded_error</c>) and end the stream.
    /// </summary>
    public int? StreamErrorAfterEvents { get; init; }

    /// <summary>Answers with <paramref name="statusCode"/> and an OpenAI error body.</summary>
    public static FaultRule Status(int statusCode, string pathPrefix = "/", int? times = null) =>
        new() { StatusCode = statusCode, PathPrefix = pathPrefix, Times = times };

    /// <summary>Answers 429 with <c>retry-after</c> and exhausted OpenAI rate-limit headers.</summary>
    public static FaultRule RateLimited(int retryAfterSeconds, string pathPrefix = "/", int? times = null) =>
        new() { StatusCode = 429, RetryAfterSeconds = retryAfterSeconds, PathPrefix = pathPrefix, Times = times };

    /// <summary>Waits <paramref name="delay"/> before answering normally.</summary>
    public static FaultRule Delayed(TimeSpan delay, string pathPrefix = "/", int? times = null) =>
        new() { Delay = delay, PathPrefix = pathPrefix, Times = times };

    /// <summary>Aborts the connection after <paramref name="events"/> SSE events.</summary>
    public static FaultRule ResetAfter(int events, string pathPrefix = "/", int? times = null) =>
        new() { ResetAfterEvents = events, PathPrefix = pathPrefix, Times = times };

    /// <summary>Aborts the connection before any response byte is sent.</summary>
    public static FaultRule ResetBefore(string pathPrefix = "/", int? times = null) =>
        new() { ResetBeforeResponse = true, PathPrefix = pathPrefix, Times = times };

    /// <summary>Every problem with this rule, each prefixed with <paramref name="location"/>.</summary>
    internal IReadOnlyList<string> Validate(string location)
    {
        var errors = new List<string>();
        if (string.IsNullOrEmpty(PathPrefix) || PathPrefix[0] != '/')
        {
            errors.Add($"{location}.path_prefix: expected a path starting with '/', got '{PathPrefix}'");
        }

        if (Times is < 1)
        {
            errors.Add($"{location}.times: expected at least 1 (omit for always), got {Times}");
        }

        if (StatusCode is < 400 or > 599)
        {
            errors.Add($"{location}.status: expected 400..599, got {StatusCode}");
        }

        if (RetryAfterSeconds is < 0)
        {
            errors.Add($"{location}.retry_after_seconds: expected 0 or more, got {RetryAfterSeconds}");
        }

        if (Delay is { } delay && delay < TimeSpan.Zero)
        {
            errors.Add($"{location}.delay_ms: expected 0 or more, got {delay.TotalMilliseconds}");
        }

        if (ChunkDelay is { } chunkDelay && chunkDelay < TimeSpan.Zero)
        {
            errors.Add($"{location}.chunk_delay_ms: expected 0 or more, got {chunkDelay.TotalMilliseconds}");
        }

        if (ResetAfterEvents is < 0)
        {
            errors.Add($"{location}.reset_after_events: expected 0 or more, got {ResetAfterEvents}");
        }

        if (StreamErrorAfterEvents is < 0)
        {
            errors.Add($"{location}.stream_error_after_events: expected 0 or more, got {StreamErrorAfterEvents}");
        }

        return errors;
    }
}
