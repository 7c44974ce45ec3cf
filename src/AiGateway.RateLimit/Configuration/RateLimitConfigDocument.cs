namespace AiGateway.RateLimit.Configuration;

/// <summary>One parsed config file: a domain and its descriptor tree, before checks.</summary>
internal sealed class RateLimitConfigDocument
{
    public string Domain { get; set; } = string.Empty;

    public List<DescriptorConfig> Descriptors { get; } = [];
}

/// <summary>One <c>descriptors</c> item as written in YAML.</summary>
internal sealed class DescriptorConfig
{
    public string Key { get; set; } = string.Empty;

    public string Value { get; set; } = string.Empty;

    public RateLimitValueConfig? RateLimit { get; set; }

    public List<DescriptorConfig> Descriptors { get; } = [];

    public bool ShadowMode { get; set; }

    public bool QuotaMode { get; set; }

    public bool DetailedMetric { get; set; }

    public bool ValueToMetric { get; set; }

    public bool ShareThreshold { get; set; }

    public IReadOnlyDictionary<string, object?>? Metadata { get; set; }
}

/// <summary>A descriptor's <c>rate_limit</c> map as written in YAML.</summary>
internal sealed class RateLimitValueConfig
{
    public uint RequestsPerUnit { get; set; }

    public string Unit { get; set; } = string.Empty;

    public bool Unlimited { get; set; }

    public string Name { get; set; } = string.Empty;

    public List<string> Replaces { get; } = [];
}
