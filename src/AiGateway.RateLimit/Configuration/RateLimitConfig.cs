using System.Collections.Frozen;
using System.Text;
using AiGateway.RateLimit.Limiting;

namespace AiGateway.RateLimit.Configuration;

/// <summary>A loaded, immutable rate-limit configuration: every domain's compiled descriptor tree.</summary>
public sealed class RateLimitConfig
{
    private readonly FrozenDictionary<string, DescriptorNode> _domains;

    internal RateLimitConfig(Dictionary<string, DescriptorNode> domains)
    {
        _domains = domains.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>A configuration with no domains (every request is unlimited).</summary>
    public static RateLimitConfig Empty { get; } = new(new Dictionary<string, DescriptorNode>());

    /// <summary>The configured domains.</summary>
    public IEnumerable<string> Domains => _domains.Keys;

    /// <summary>How many <c>rate_limit</c> rules the configuration holds.</summary>
    public int RuleCount => _domains.Values.Sum(d => d.RuleCount);

    /// <summary>True when the domain is configured.</summary>
    public bool HasDomain(string domain) => _domains.ContainsKey(domain);

    /// <summary>
    /// The limit for one request descriptor, or null for none. A per-request <see cref="RequestDescriptor.Limit"/> wins
    /// over the tree; otherwise the entries walk the tree one level each (exact value, then wildcards in file order, then
    /// key only), and only a rule on the node matched by the last entry applies.
    /// </summary>
    public MatchedLimit? Find(string domain, RequestDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (!_domains.TryGetValue(domain, out var node))
        {
            return null;
        }

        var entries = descriptor.Entries;
        if (descriptor.Limit is { } limit)
        {
            if (limit.Unit.WindowSeconds() == 0)
            {
                return null;
            }

            var key = OverrideKey(domain, entries);
            return new LimitRule(limit.RequestsPerUnit, limit.Unit, key).Default;
        }

        LimitRule? rule = null;
        string?[]? shared = null;
        var needsPath = false;
        for (var i = 0; i < entries.Length; i++)
        {
            var next = node.Find(entries[i].Key, entries[i].Value, out var viaWildcard);
            if (next is null)
            {
                break;
            }

            if (viaWildcard && next.ShareThreshold)
            {
                shared ??= new string?[entries.Length];
                shared[i] = next.Value;
            }

            needsPath |= next.ValueToMetric;
            if (next.Rule is not null && i == entries.Length - 1)
            {
                rule = next.Rule;
            }

            if (!next.HasChildren)
            {
                break;
            }

            node = next;
        }

        if (rule is null)
        {
            return null;
        }

        if (rule.DetailedMetric)
        {
            return new MatchedLimit(rule, DetailedKey(domain, entries, shared), shared);
        }

        if (needsPath)
        {
            return new MatchedLimit(rule, ValueToMetricKey(domain, entries, shared), shared);
        }

        return shared is null ? rule.Default : new MatchedLimit(rule, rule.StatsKey, shared);
    }

    private static string OverrideKey(string domain, DescriptorEntry[] entries)
    {
        var builder = new StringBuilder(domain).Append('.');
        for (var i = 0; i < entries.Length; i++)
        {
            if (i > 0)
            {
                builder.Append('.');
            }

            builder.Append(entries[i].Key);
            if (entries[i].Value.Length > 0)
            {
                builder.Append('_').Append(entries[i].Value);
            }
        }

        return builder.ToString();
    }

    private static string DetailedKey(string domain, DescriptorEntry[] entries, string?[]? shared)
    {
        var builder = new StringBuilder(domain);
        for (var i = 0; i < entries.Length; i++)
        {
            builder.Append('.').Append(entries[i].Key).Append('_').Append(shared?[i] ?? entries[i].Value);
        }

        return builder.ToString();
    }

    /// <summary>The stats key when a level has <c>value_to_metric</c>: that level shows the request's value.</summary>
    private string ValueToMetricKey(string domain, DescriptorEntry[] entries, string?[]? shared)
    {
        var builder = new StringBuilder(domain);
        var node = _domains[domain];
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            var next = node.Find(entry.Key, entry.Value, out var viaWildcard);
            builder.Append('.').Append(entry.Key);
            if (next is null)
            {
                break;
            }

            string? value = (viaWildcard, next.Value.Length > 0) switch
            {
                _ when shared?[i] is { } pattern => pattern,
                (true, _) => next.ValueToMetric ? entry.Value : next.Value,
                (false, true) => entry.Value,
                (false, false) => next.ValueToMetric ? entry.Value : null,
            };
            if (!string.IsNullOrEmpty(value))
            {
                builder.Append('_').Append(value);
            }

            if (!next.HasChildren)
            {
                break;
            }

            node = next;
        }

        return builder.ToString();
    }
}
