using Envoy.Config.Core.V3;

namespace AiGateway.EnvoyHarness.Config;

/// <summary>One mutation: either <see cref="Remove"/> a header or append <see cref="Key"/> with a formatted value.</summary>
internal sealed record HeaderMutationRuleConfig(
    string? Remove,
    string? Key,
    SubstitutionFormat? Value,
    HeaderValueOption.Types.HeaderAppendAction AppendAction,
    bool KeepEmptyValue);
