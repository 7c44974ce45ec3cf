using Microsoft.Extensions.Logging;

namespace AiGateway.MockProvider.Hosting;

/// <summary>Log messages of the mock provider. Bodies and API keys are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "MockProviderListening", Level = LogLevel.Information,
        Message = "Mock LLM provider listening on {Addresses}")]
    public static partial void Listening(ILogger logger, string addresses);

    [LoggerMessage(EventId = 2, EventName = "FaultApplied", Level = LogLevel.Information,
        Message = "Injecting fault into {Method} {Path}: {Fault}")]
    public static partial void FaultApplied(ILogger logger, string method, string path, string fault);

    [LoggerMessage(EventId = 3, EventName = "ConnectionAborted", Level = LogLevel.Information,
        Message = "Aborting connection of {Path} after {Events} SSE events / partial body")]
    public static partial void ConnectionAborted(ILogger logger, string path, int events);

    [LoggerMessage(EventId = 4, EventName = "ClientDisconnected", Level = LogLevel.Debug,
        Message = "Client disconnected (or server stopping) during {Path}")]
    public static partial void ClientDisconnected(ILogger logger, string path);

    [LoggerMessage(EventId = 5, EventName = "RequestCompleted", Level = LogLevel.Debug,
        Message = "{Method} {Path} -> {Status}")]
    public static partial void RequestCompleted(ILogger logger, string method, string path, int status);

    [LoggerMessage(EventId = 6, EventName = "InvalidConfiguration", Level = LogLevel.Error,
        Message = "Invalid mock provider configuration: {Error}")]
    public static partial void InvalidConfiguration(ILogger logger, string error);

    [LoggerMessage(EventId = 7, EventName = "UnexpectedError", Level = LogLevel.Error,
        Message = "Unexpected error while answering {Method} {Path}")]
    public static partial void UnexpectedError(ILogger logger, string method, string path, Exception exception);
}
