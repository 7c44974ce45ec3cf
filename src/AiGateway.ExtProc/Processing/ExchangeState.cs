using AiGateway.Core.Configuration;
using AiGateway.Core.Translation;
using AiGateway.ExtProc.Endpoints;

namespace AiGateway.ExtProc.Processing;

/// <summary>
/// One HTTP request as the router-level stream sees it, shared with the upstream-level streams of its
/// attempts through <see cref="ExchangeStore"/>. The original body is kept, never modified.
/// </summary>
internal sealed class ExchangeState(string requestId, GatewaySnapshot snapshot, EndpointRoute route, long startedAt)
{
    private ProviderDefinition? _lastAttemptProvider;
    private int _attempts;

    /// <summary>The gateway's id for this request (header <c>x-ai-gateway-request-id</c>).</summary>
    public string RequestId { get; } = requestId;

    /// <summary>The configuration this request was routed with, kept for all its attempts.</summary>
    public GatewaySnapshot Snapshot { get; } = snapshot;

    /// <summary>The endpoint the path resolved to.</summary>
    public EndpointRoute Route { get; } = route;

    /// <summary>Timestamp (<see cref="TimeProvider.GetTimestamp"/>) of the request headers.</summary>
    public long StartedAt { get; } = startedAt;

    /// <summary>The parsed request; null until the body arrived.</summary>
    public ParsedRequest? Request { get; set; }

    /// <summary>The gateway's count of the request's input tokens; null until counted or when the body could not be counted.</summary>
    public Core.Tokens.TokenCount? EstimatedInput { get; set; }

    /// <summary>The tenant hashes are keyed for (from <see cref="DataMaskingSettings.TenantHeader"/>); null without data masking.</summary>
    public string? Tenant { get; set; }

    /// <summary>
    /// The request's reversible placeholders and their values, restored in its answer; null when there are
    /// none. Lives only as long as this exchange and is never logged.
    /// </summary>
    public Core.Pii.PiiPlaceholders? Placeholders { get; set; }

    /// <summary>The provider chosen for the first attempt.</summary>
    public ProviderDefinition? Primary { get; set; }

    /// <summary>The provider of the most recent attempt; written by upstream-level streams.</summary>
    public ProviderDefinition? LastAttemptProvider => Volatile.Read(ref _lastAttemptProvider);

    /// <summary>How many upstream attempts were made.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Records the start of an attempt; returns its 1-based number.</summary>
    public int BeginAttempt(ProviderDefinition provider)
    {
        Volatile.Write(ref _lastAttemptProvider, provider);
        return Interlocked.Increment(ref _attempts);
    }
}
