namespace AiGateway.MockProvider;

/// <summary>
/// Request headers that select a fault for a single request. They override the matching
/// <see cref="FaultRule"/> field by field. An invalid value gets a 400 in OpenAI error format.
/// </summary>
public static class MockHeaders
{
    /// <summary>Answer with this HTTP status (400..599) and an OpenAI error body, e.g. <c>429</c>.</summary>
    public const string Status = "x-mock-status";

    /// <summary>Seconds for the <c>retry-after</c> header of an error status (default 1 for 429).</summary>
    public const string RetryAfter = "x-mock-retry-after";

    /// <summary>Wait this many milliseconds before sending anything.</summary>
    public const string DelayMs = "x-mock-delay-ms";

    /// <summary>Abort the connection after this many SSE events (non-streaming: after half the body).</summary>
    public const string ResetAfterEvents = "x-mock-reset-after-events";

    /// <summary><c>true</c> or <c>1</c>: abort the connection before any response byte is sent.</summary>
    public const string ResetBeforeResponse = "x-mock-reset-before-response";

    /// <summary>Milliseconds to wait between SSE events.</summary>
    public const string ChunkDelayMs = "x-mock-chunk-delay-ms";

    /// <summary>After this many SSE events, send an OpenAI mid-stream <c>error</c> event and end the stream.</summary>
    public const string StreamErrorAfterEvents = "x-mock-stream-error-after-events";
}
