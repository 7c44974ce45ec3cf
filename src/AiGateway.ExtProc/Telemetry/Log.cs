using Microsoft.Extensions.Logging;

namespace AiGateway.ExtProc.Telemetry;

/// <summary>Log events of the ext_proc service. Never bodies, keys or other PII: ids, names and counts only.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, EventName = "StreamFailed", Level = LogLevel.Error, Message = "ext_proc stream failed while handling {Phase} (request id {RequestId}); answered 500")]
    public static partial void StreamFailed(ILogger logger, string phase, string requestId, Exception exception);

    [LoggerMessage(EventId = 1002, EventName = "UnknownExchange", Level = LogLevel.Warning, Message = "Upstream-level stream for unknown request id {RequestId}; is more than one extproc process behind this Envoy?")]
    public static partial void UnknownExchange(ILogger logger, string requestId);

    [LoggerMessage(EventId = 1003, EventName = "PreferredProviderIgnored", Level = LogLevel.Debug, Message = "Request {RequestId}: preferred provider {Provider} does not serve the model; using priority order")]
    public static partial void PreferredProviderIgnored(ILogger logger, string requestId, string provider);

    [LoggerMessage(EventId = 1004, EventName = "FallbackAttempt", Level = LogLevel.Information, Message = "Request {RequestId}: attempt {Attempt} goes to provider {Provider}")]
    public static partial void FallbackAttempt(ILogger logger, string requestId, int attempt, string provider);

    [LoggerMessage(EventId = 1005, EventName = "RequestCompleted", Level = LogLevel.Debug, Message = "Request {RequestId} model={Model} provider={Provider} status={Status} attempts={Attempts} input_tokens={InputTokens} output_tokens={OutputTokens}")]
    public static partial void RequestCompleted(ILogger logger, string requestId, string model, string provider, int status, int attempts, long inputTokens, long outputTokens);

    [LoggerMessage(EventId = 1006, EventName = "UnexpectedFirstMessage", Level = LogLevel.Debug, Message = "ext_proc stream started with {Kind}; passing it through")]
    public static partial void UnexpectedFirstMessage(ILogger logger, string kind);

    [LoggerMessage(EventId = 2001, EventName = "ConfigReloaded", Level = LogLevel.Information, Message = "Configuration reloaded from {Path}: {Providers} providers, {Models} models")]
    public static partial void ConfigReloaded(ILogger logger, string path, int providers, int models);

    [LoggerMessage(EventId = 2002, EventName = "ConfigReloadFailed", Level = LogLevel.Error, Message = "Configuration reload from {Path} failed; keeping the previous configuration:\n{Errors}")]
    public static partial void ConfigReloadFailed(ILogger logger, string path, string errors);

    [LoggerMessage(EventId = 2003, EventName = "ConfigWarning", Level = LogLevel.Warning, Message = "{Warning}")]
    public static partial void ConfigWarning(ILogger logger, string warning);

    [LoggerMessage(EventId = 3001, EventName = "CredentialFetchFailed", Level = LogLevel.Warning, Message = "Provider {Provider}: {Reason}")]
    public static partial void CredentialFetchFailed(ILogger logger, string provider, string reason);

    [LoggerMessage(EventId = 3002, EventName = "CredentialUnavailable", Level = LogLevel.Warning, Message = "Request {RequestId}: no credentials for provider {Provider}: {Reason}")]
    public static partial void CredentialUnavailable(ILogger logger, string requestId, string provider, string reason);

    [LoggerMessage(EventId = 3003, EventName = "CredentialRefreshForced", Level = LogLevel.Information, Message = "Request {RequestId}: provider {Provider} refused its token (401); fetching a new one now")]
    public static partial void CredentialRefreshForced(ILogger logger, string requestId, string provider);
}
