namespace AiGateway.EnvoyHarness.Config;

/// <summary>
/// An <c>envoy.extensions.filters.http.ratelimit.v3.RateLimit</c> typed_config (the parts the harness runs).
/// <see cref="Enabled"/>, <see cref="Enforced"/> and <see cref="FailureModeDeny"/> are already resolved against the static
/// runtime layer (only 0 % and 100 % are supported).
/// </summary>
internal sealed record RateLimitFilterConfig(
    string FilterName,
    string Domain,
    int Stage,
    RateLimitRequestType RequestType,
    string ClusterName,
    string? TargetUri,
    TimeSpan? Timeout,
    bool FailureModeDeny,
    bool XRateLimitHeaders,
    bool DisableXEnvoyRateLimitedHeader,
    int RateLimitedStatus,
    int StatusOnError,
    IReadOnlyList<HeaderMutationRuleConfig> ResponseHeadersToAdd,
    string MetadataNamespace,
    bool Enabled,
    bool Enforced,
    IReadOnlyList<RateLimitEntryConfig> RateLimits);

/// <summary>The filter's <c>request_type</c>: which requests it applies to, by <c>x-envoy-internal: true</c>.</summary>
internal enum RateLimitRequestType
{
    Both,
    Internal,
    External,
}

/// <summary>
/// One <c>config.route.v3.RateLimit</c> entry: actions that build a descriptor, and how it is counted. <see cref="Stage"/>,
/// <see cref="DisableKey"/> matter only on the legacy (route/virtual host) path; the hits addend only on the per-route and
/// filter-level paths (envoy-protocol.md §3.1).
/// </summary>
internal sealed record RateLimitEntryConfig(
    IReadOnlyList<RateLimitActionConfig> Actions,
    ulong? HitsAddendNumber,
    SubstitutionFormat? HitsAddendFormat,
    bool IsNegativeHits,
    bool ApplyOnStreamDone,
    RateLimitOverrideConfig? Limit,
    int Stage = 0,
    string? DisableKey = null,
    XRateLimitOption XRateLimitOption = XRateLimitOption.Unspecified)
{
    /// <summary>True when the entry sets any <c>hits_addend</c> field.</summary>
    public bool HasHitsAddend => HitsAddendNumber is not null || HitsAddendFormat is not null || IsNegativeHits;
}

/// <summary><c>RateLimit.Override</c>: a static limit, or a metadata path to a struct with <c>requests_per_unit</c> and <c>unit</c>.</summary>
internal sealed record RateLimitOverrideConfig((uint RequestsPerUnit, int Unit)? Static, IReadOnlyList<string>? DynamicMetadataPath);

/// <summary>The per-entry <c>x_ratelimit_option</c> (1.38).</summary>
internal enum XRateLimitOption
{
    Unspecified = 0,
    Off = 1,
    DraftVersion03 = 2,
}

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
    IReadOnlyList<string>? MetadataPath = null,
    RateLimitMetadataSource MetadataSource = RateLimitMetadataSource.Dynamic,
    int V4PrefixLength = 32,
    int V6PrefixLength = 128);

/// <summary>The descriptor actions the harness supports.</summary>
internal enum RateLimitActionKind
{
    RequestHeaders,
    QueryParameters,
    GenericKey,
    HeaderValueMatch,
    RemoteAddress,
    MaskedRemoteAddress,
    DestinationCluster,
    Metadata,
}

/// <summary><c>RateLimit.Action.MetaData.Source</c> (CLUSTER_LOCALITY_ENTRY is rejected: the harness has no localities).</summary>
internal enum RateLimitMetadataSource
{
    Dynamic = 0,
    RouteEntry = 1,
    ClusterEntry = 2,
}

/// <summary>
/// <c>RateLimitPerRoute</c> from a route's, virtual host's or route table's <c>typed_per_filter_config</c>:
/// its own <c>rate_limits</c> (path 1 of §3.1), a <c>domain</c> override and the legacy <c>vh_rate_limits</c> option.
/// </summary>
internal sealed record RateLimitPerRouteConfig(
    VhRateLimitsOption VhRateLimits,
    string? Domain,
    IReadOnlyList<RateLimitEntryConfig> RateLimits);

/// <summary><c>RateLimitPerRoute.VhRateLimitsOptions</c>.</summary>
internal enum VhRateLimitsOption
{
    Override = 0,
    Include = 1,
    Ignore = 2,
}
