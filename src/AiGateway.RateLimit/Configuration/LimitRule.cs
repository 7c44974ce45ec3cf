namespace AiGateway.RateLimit.Configuration;

/// <summary>A compiled <c>rate_limit</c>: what a matching descriptor is limited to, and how it is reported.</summary>
public sealed class LimitRule
{
    /// <summary>Creates a rule.</summary>
    /// <param name="requestsPerUnit">Allowed hits per window (0 = always over the limit).</param>
    /// <param name="unit">The window.</param>
    /// <param name="statsKey">The stats key, <c>domain.key1_value1.key2</c>.</param>
    /// <param name="name">The rule's name, echoed in <c>current_limit.name</c>; empty when unnamed.</param>
    public LimitRule(uint requestsPerUnit, RateLimitUnit unit, string statsKey, string name = "")
    {
        RequestsPerUnit = requestsPerUnit;
        Unit = unit;
        StatsKey = statsKey;
        Name = name;
        Default = new MatchedLimit(this, statsKey, null);
    }

    /// <summary>Allowed hits per window.</summary>
    public uint RequestsPerUnit { get; }

    /// <summary>The window.</summary>
    public RateLimitUnit Unit { get; }

    /// <summary>The rule's name; empty when unnamed.</summary>
    public string Name { get; }

    /// <summary>The stats key from the config path, e.g. <c>test-domain.key1_value1.subkey1</c>.</summary>
    public string StatsKey { get; }

    /// <summary>Never counted or limited; answered OK with the largest remaining count.</summary>
    public bool Unlimited { get; init; }

    /// <summary>Names of rules this one replaces when both match in one request.</summary>
    public IReadOnlyList<string> Replaces { get; init; } = [];

    /// <summary>Counted as usual but always answered OK.</summary>
    public bool ShadowMode { get; init; }

    /// <summary>Over-limit only counts for the overall code when every quota-mode descriptor is over.</summary>
    public bool QuotaMode { get; init; }

    /// <summary>Stats keys carry the request's values.</summary>
    public bool DetailedMetric { get; init; }

    /// <summary>Free-form metadata returned in the response's dynamic metadata when enabled.</summary>
    public IReadOnlyDictionary<string, object?>? Metadata { get; init; }

    /// <summary>The match for a request whose stats key and counter key need nothing from the request.</summary>
    internal MatchedLimit Default { get; }
}
