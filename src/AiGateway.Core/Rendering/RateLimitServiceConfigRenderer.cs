using System.Text;
using AiGateway.Core.Configuration;
using static AiGateway.Core.Rendering.EnvoyBootstrapRenderer;

namespace AiGateway.Core.Rendering;

/// <summary>
/// Renders the rate-limit service's YAML (envoyproxy/ratelimit's format, which <c>aigw serve ratelimit</c> reads) from
/// <c>rate_limiting</c>: one tree per limit under <c>limit: &lt;name&gt;</c>, then the subject's key, then <c>model</c>,
/// with the rule on the last level — exactly the descriptors the rendered Envoy filter sends.
/// </summary>
public static class RateLimitServiceConfigRenderer
{
    /// <summary>Renders the YAML; <paramref name="settings"/> comes from <see cref="GatewaySnapshot.RateLimiting"/>.</summary>
    public static string Render(RateLimitingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var y = new StringBuilder();
        y.Append("# Rate-limit service configuration for AiGateway: `aigw serve ratelimit --config DIR` (or envoyproxy/ratelimit).\n");
        y.Append("# Rendered by `aigw render ratelimit --config envoy/gateway.yaml`; do not edit by hand (a test checks it).\n");
        y.Append("# Token limits count tokens: Envoy checks them with 0 hits and charges the response's total tokens at the end.\n");
        y.Append(Inv($"domain: {Scalar(settings.Domain)}\n"));
        y.Append("descriptors:\n");
        foreach (var limit in settings.Limits)
        {
            var actions = RateLimitDescriptorAction.For(limit);
            y.Append(Inv($"  # {limit.Name}: {limit.Amount} {(limit.Kind == RateLimitKind.Tokens ? "tokens" : "requests")} per {limit.Unit}{RateLimitFilterRenderer.Whom(limit)}\n"));
            for (var level = 0; level < actions.Count; level++)
            {
                var indent = new string(' ', 2 + (level * 4));
                if (level > 0)
                {
                    y.Append(indent[2..]).Append("descriptors:\n");
                }

                y.Append(indent).Append(Inv($"- key: {Scalar(actions[level].Key)}\n"));
                if (actions[level].Kind == RateLimitDescriptorActionKind.GenericKey)
                {
                    y.Append(indent).Append(Inv($"  value: {Scalar(actions[level].Value)}\n"));
                }

                if (level == actions.Count - 1)
                {
                    y.Append(indent).Append("  rate_limit:\n");
                    y.Append(indent).Append(Inv($"    name: {Scalar(limit.Name)}\n"));
                    y.Append(indent).Append(Inv($"    unit: {limit.Unit}\n"));
                    y.Append(indent).Append(Inv($"    requests_per_unit: {limit.Amount}\n"));
                }
            }
        }

        return y.ToString();
    }
}
