using AiGateway.EnvoyHarness.Config;

namespace AiGateway.EnvoyHarness.ExtProc;

/// <summary>Envoy's header mutation rules (envoy-protocol.md §2.7): which header names a processor may set, append or remove.</summary>
internal static class MutationRuleChecker
{
    private static readonly HashSet<string> RoutingHeaders = new(StringComparer.Ordinal) { "host", ":authority", ":method", ":scheme" };

    /// <summary>True when the operation is allowed. <paramref name="allowMethod"/> lets <c>:method</c> through (CONTINUE_AND_REPLACE).</summary>
    public static bool IsAllowed(MutationRulesConfig rules, string name, bool isAppend, bool allowMethod = false)
    {
        if (rules.DisallowExpression is { } disallow && disallow.IsMatch(name))
        {
            return false;
        }

        if (rules.AllowExpression is { } allow && allow.IsMatch(name))
        {
            return true;
        }

        if (rules.DisallowAll)
        {
            return false;
        }

        if (name.StartsWith(':') || name == "host")
        {
            if (rules.DisallowSystem || (isAppend && name.StartsWith(':')))
            {
                return false;
            }

            if (RoutingHeaders.Contains(name) && !rules.AllowAllRouting && !(allowMethod && name == ":method"))
            {
                return false;
            }

            return true;
        }

        return rules.AllowEnvoy || !name.StartsWith("x-envoy-", StringComparison.Ordinal);
    }
}
