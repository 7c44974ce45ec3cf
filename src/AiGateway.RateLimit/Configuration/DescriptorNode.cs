namespace AiGateway.RateLimit.Configuration;

/// <summary>One level of a domain's descriptor tree, compiled for lookups without building strings.</summary>
internal sealed class DescriptorNode
{
    private readonly Dictionary<string, KeyGroup> _byKey = new(StringComparer.Ordinal);
    private readonly HashSet<string> _compositeKeys = new(StringComparer.Ordinal);
    private readonly List<DescriptorNode> _wildcards = [];

    public DescriptorNode(string key, string value, LimitRule? rule, bool shareThreshold, bool valueToMetric)
    {
        Key = key;
        Value = value;
        Rule = rule;
        ShareThreshold = shareThreshold;
        ValueToMetric = valueToMetric;
    }

    /// <summary>The config key (empty for a domain root).</summary>
    public string Key { get; }

    /// <summary>The config value or wildcard pattern; empty when the node matches any value.</summary>
    public string Value { get; }

    public LimitRule? Rule { get; }

    public bool ShareThreshold { get; }

    public bool ValueToMetric { get; }

    public bool HasChildren => _compositeKeys.Count > 0;

    public int RuleCount => (Rule is null ? 0 : 1) + _byKey.Values.Sum(g => g.Exact.Values.Sum(n => n.RuleCount) + (g.KeyOnly?.RuleCount ?? 0));

    /// <summary>The reference service's composite key of a child: <c>key_value</c>, or <c>key</c> without a value.</summary>
    public static string CompositeKey(string key, string value) => value.Length == 0 ? key : key + "_" + value;

    /// <summary>Adds a child; false when one with the same composite key exists.</summary>
    public bool TryAdd(DescriptorNode child)
    {
        if (!_compositeKeys.Add(CompositeKey(child.Key, child.Value)))
        {
            return false;
        }

        if (!_byKey.TryGetValue(child.Key, out var group))
        {
            group = new KeyGroup();
            _byKey[child.Key] = group;
        }

        if (child.Value.Length == 0)
        {
            group.KeyOnly = child;
        }
        else
        {
            group.Exact[child.Value] = child;
            if (Wildcard.IsPattern(child.Value))
            {
                _wildcards.Add(child);
            }
        }

        return true;
    }

    /// <summary>The child for one request entry: exact value, then the first matching wildcard in file order, then key only.</summary>
    public DescriptorNode? Find(string key, string value, out bool viaWildcard)
    {
        viaWildcard = false;
        if (!_byKey.TryGetValue(key, out var group))
        {
            return null;
        }

        if (group.Exact.TryGetValue(value, out var exact))
        {
            return exact;
        }

        foreach (var candidate in _wildcards)
        {
            if (string.Equals(candidate.Key, key, StringComparison.Ordinal) && Wildcard.Matches(candidate.Value, value))
            {
                viaWildcard = true;
                return candidate;
            }
        }

        return group.KeyOnly;
    }

    private sealed class KeyGroup
    {
        public Dictionary<string, DescriptorNode> Exact { get; } = new(StringComparer.Ordinal);

        public DescriptorNode? KeyOnly { get; set; }
    }
}
