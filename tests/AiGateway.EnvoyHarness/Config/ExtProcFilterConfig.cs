using Envoy.Extensions.Filters.Http.ExtProc.V3;

namespace AiGateway.EnvoyHarness.Config;

/// <summary>The <c>ExternalProcessor</c> fields the harness implements (envoy-protocol.md §2.17).</summary>
internal sealed record ExtProcFilterConfig(
    string ClusterName,
    string? TargetUri,
    IReadOnlyList<KeyValuePair<string, string>> InitialMetadata,
    bool FailureModeAllow,
    ProcessingMode ProcessingMode,
    TimeSpan MessageTimeout,
    TimeSpan? MaxMessageTimeout,
    bool AllowModeOverride,
    IReadOnlyList<string> RequestAttributes,
    IReadOnlyList<string> ResponseAttributes,
    MutationRulesConfig MutationRules,
    IReadOnlyList<string> ForwardingNamespaces,
    IReadOnlyList<string> ReceivingNamespaces,
    RouteCacheAction RouteCacheAction,
    int StatusOnError,
    bool DisableImmediateResponse,
    string StatPrefix);
