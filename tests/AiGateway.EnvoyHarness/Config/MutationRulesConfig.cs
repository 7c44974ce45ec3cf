using System.Text.RegularExpressions;

namespace AiGateway.EnvoyHarness.Config;

/// <summary><c>config.common.mutation_rules.v3.HeaderMutationRules</c>.</summary>
internal sealed record MutationRulesConfig(
    bool AllowAllRouting,
    bool AllowEnvoy,
    bool DisallowSystem,
    bool DisallowAll,
    bool DisallowIsError,
    Regex? AllowExpression,
    Regex? DisallowExpression)
{
    public static MutationRulesConfig Default { get; } = new(false, false, false, false, false, null, null);
}
