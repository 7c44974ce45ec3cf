namespace AiGateway.EnvoyHarness.Config;

/// <summary><c>envoy.filters.http.header_mutation</c>: request and response mutation lists, applied in order.</summary>
internal sealed record HeaderMutationFilterConfig(
    IReadOnlyList<HeaderMutationRuleConfig> RequestMutations,
    IReadOnlyList<HeaderMutationRuleConfig> ResponseMutations);
