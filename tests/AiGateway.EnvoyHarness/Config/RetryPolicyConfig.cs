namespace AiGateway.EnvoyHarness.Config;

/// <summary>
/// The parts of <c>route.RetryPolicy</c> the harness implements. <see cref="PreviousPrioritiesUpdateFrequency"/> is set when
/// <c>envoy.retry_priorities.previous_priorities</c> is configured.
/// </summary>
internal sealed record RetryPolicyConfig(
    IReadOnlySet<string> RetryOn,
    IReadOnlySet<int> RetriableStatusCodes,
    int NumRetries,
    bool PreviousHostsPredicate,
    int HostSelectionRetryMaxAttempts,
    int? PreviousPrioritiesUpdateFrequency);
