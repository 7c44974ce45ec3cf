using System.Text.Json.Serialization;

namespace AiGateway.MockProvider.Configuration;

/// <summary>One fault rule in the config file or in <c>POST /_mock/faults</c>; see <see cref="FaultRule"/>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class MockFaultConfig
{
    public string? PathPrefix { get; set; }

    public string? Model { get; set; }

    public int? Times { get; set; }

    public int? Status { get; set; }

    public int? RetryAfterSeconds { get; set; }

    public string? ErrorMessage { get; set; }

    public int? DelayMs { get; set; }

    public int? ChunkDelayMs { get; set; }

    public int? ResetAfterEvents { get; set; }

    public bool? ResetBeforeResponse { get; set; }

    public int? StreamErrorAfterEvents { get; set; }

    public FaultRule ToRule() => new()
    {
        PathPrefix = PathPrefix ?? "/",
        Model = Model,
        Times = Times,
        StatusCode = Status,
        RetryAfterSeconds = RetryAfterSeconds,
        ErrorMessage = ErrorMessage,
        Delay = DelayMs is { } delay ? TimeSpan.FromMilliseconds(delay) : null,
        ChunkDelay = ChunkDelayMs is { } chunk ? TimeSpan.FromMilliseconds(chunk) : null,
        ResetAfterEvents = ResetAfterEvents,
        ResetBeforeResponse = ResetBeforeResponse ?? false,
        StreamErrorAfterEvents = StreamErrorAfterEvents,
    };
}
