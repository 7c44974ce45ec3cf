using Microsoft.Extensions.Logging;

namespace AiGateway.RateLimit.Service;

/// <summary>Log events of the rate-limit service. Never descriptor values (they can name users): counts and reasons only.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4001, EventName = "CallRejected", Level = LogLevel.Debug, Message = "ShouldRateLimit rejected: {Reason}")]
    public static partial void CallRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 4002, EventName = "StoreFailed", Level = LogLevel.Debug, Message = "ShouldRateLimit failed; answered UNAVAILABLE: {Reason}")]
    public static partial void StoreFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 4003, EventName = "RedisConnectionFailed", Level = LogLevel.Warning, Message = "Redis connection to {Endpoint} failed ({FailureType}); calls answer UNAVAILABLE until it is back")]
    public static partial void RedisConnectionFailed(ILogger logger, string endpoint, string failureType);

    [LoggerMessage(EventId = 4004, EventName = "RedisConnectionRestored", Level = LogLevel.Information, Message = "Redis connection to {Endpoint} restored")]
    public static partial void RedisConnectionRestored(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 4101, EventName = "ConfigReloaded", Level = LogLevel.Information, Message = "Rate-limit configuration reloaded from {Path}: {Files} files, {Domains} domains, {Rules} rules")]
    public static partial void ConfigReloaded(ILogger logger, string path, int files, int domains, int rules);

    [LoggerMessage(EventId = 4102, EventName = "ConfigReloadFailed", Level = LogLevel.Error, Message = "Rate-limit configuration reload from {Path} failed; keeping the previous configuration:\n{Errors}")]
    public static partial void ConfigReloadFailed(ILogger logger, string path, string errors);

    [LoggerMessage(EventId = 4201, EventName = "WarmedUp", Level = LogLevel.Information, Message = "Rate-limit service ready: counter store prepared, {Calls} warm-up calls done")]
    public static partial void WarmedUp(ILogger logger, int calls);

    [LoggerMessage(EventId = 4202, EventName = "NotReadyAtStart", Level = LogLevel.Warning, Message = "Rate-limit service not ready after {Seconds} s ({Reason}); serving anyway (calls answer UNAVAILABLE) with health NOT_SERVING, retrying in the background")]
    public static partial void NotReadyAtStart(ILogger logger, double seconds, string reason);
}
