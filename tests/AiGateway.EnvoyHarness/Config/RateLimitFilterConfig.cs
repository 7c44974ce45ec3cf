namespace AiGateway.EnvoyHarness.Config;

/// <summary>An <c>envoy.extensions.filters.http.ratelimit.v3.RateLimit</c> typed_config (the parts the harness runs).</summary>
internal sealed record RateLimitFilterConfig(
    string Domain,
    string ClusterName,
    string? TargetUri,
    TimeSpan? Timeout,
    bool FailureModeDeny,
    bool XRateLimitHeaders,
    bool DisableXEnvoyRateLimitedHeader,
    int RateLimitedStatus,
    int StatusOnError,
    IReadOnlyList<RateLimitEntryConfig> RateLimits);

/// <summary>One <c>config.route.v3.RateLimit</c> entry: actions that build a descriptor, and how it is counted.</summary>
internal sealed record RateLimitEntryConfig(
    IReadOnlyList<RateLimitActionConfig> Actions,
    ulong? HitsAddendNumber,
    SubstitutionFormat? HitsAddendFormat,
    bool IsNegativeHits,
    bool ApplyOnStreamDone,
    (uint RequestsPerUnit, int Unit)? Limit);

/// <summary>One action; <see cref="Kind"/> says which fields matter.</summary>
internal sealed record RateLimitActionConfig(
    RateLimitActionKind Kind,
    string DescriptorKey,
    string? HeaderName = null,
    bool SkipIfAbsent = false,
    string? DescriptorValue = null,
    string? DefaultValue = null,
    bool ExpectMatch = true,
    IReadOnlyList<HeaderMatcherConfig>? Headers = null,
    IReadOnlyList<string>? MetadataPath = null);

/// <summary>The descriptor actions the harness supports.</summary>
internal enum RateLimitActionKind
{
    RequestHeaders,
    GenericKey,
    HeaderValueMatch,
    RemoteAddress,
    DestinationCluster,
    Metadata,
}
