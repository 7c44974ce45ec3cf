namespace AiGateway.RateLimit.Service.Hosting;

/// <summary>
/// Whether the service has been warmed up: the counter store is ready (Redis connected, script loaded) and the hot path
/// has run. Until then gRPC health answers NOT_SERVING and <c>/healthz</c> 503, and, during startup, the listeners are
/// not open yet. Once ready it stays ready: a later Redis outage shows as Degraded, and calls fail fast.
/// </summary>
public sealed class RateLimitReadiness
{
    private volatile string? _notReadyReason = "starting";

    /// <summary>True once the warm-up succeeded.</summary>
    public bool IsReady => _notReadyReason is null;

    /// <summary>Why the service is not ready yet, or null when it is.</summary>
    public string? NotReadyReason => _notReadyReason;

    internal void MarkReady() => _notReadyReason = null;

    internal void MarkNotReady(string reason)
    {
        if (!IsReady)
        {
            _notReadyReason = reason;
        }
    }
}
