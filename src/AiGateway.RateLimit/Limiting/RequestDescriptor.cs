namespace AiGateway.RateLimit.Limiting;

/// <summary>One descriptor of a <c>ShouldRateLimit</c> call, independent of the wire types.</summary>
public sealed class RequestDescriptor
{
    /// <summary>Creates a descriptor.</summary>
    /// <param name="entries">The ordered entries.</param>
    /// <param name="limit">A per-request limit that replaces the configured one, if any.</param>
    /// <param name="hitsAddend">The descriptor's own addend when present (0 = check only); null uses the request's.</param>
    /// <param name="isNegativeHits">Refund <paramref name="hitsAddend"/> instead of consuming it (our extension).</param>
    public RequestDescriptor(DescriptorEntry[] entries, LimitOverride? limit = null, ulong? hitsAddend = null, bool isNegativeHits = false)
    {
        Entries = entries ?? throw new ArgumentNullException(nameof(entries));
        Limit = limit;
        HitsAddend = hitsAddend;
        IsNegativeHits = isNegativeHits;
    }

    /// <summary>The ordered entries.</summary>
    public DescriptorEntry[] Entries { get; }

    /// <summary>A per-request limit that replaces the configured one.</summary>
    public LimitOverride? Limit { get; }

    /// <summary>The descriptor's own addend when present (0 = check only); null uses the request's.</summary>
    public ulong? HitsAddend { get; }

    /// <summary>True when the addend is a refund.</summary>
    public bool IsNegativeHits { get; }
}
