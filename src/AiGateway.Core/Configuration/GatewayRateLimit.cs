namespace AiGateway.Core.Configuration;

/// <summary>One entry of <c>rate_limiting.limits</c>.</summary>
/// <param name="Name">Unique name; the value of the descriptor's first entry, so every limit has its own counters.</param>
/// <param name="Per">Whose counter a request is charged to.</param>
/// <param name="PerModel">A separate counter for each requested model.</param>
/// <param name="Kind">Whether requests or tokens are counted.</param>
/// <param name="Amount">Requests or tokens allowed per <paramref name="Unit"/>.</param>
/// <param name="Unit">second, minute, hour, day, week, month or year.</param>
public sealed record GatewayRateLimit(string Name, RateLimitSubject Per, bool PerModel, RateLimitKind Kind, int Amount, string Unit);

/// <summary>What a limit counts.</summary>
public enum RateLimitKind
{
    /// <summary>Each request adds one, at request time.</summary>
    Requests,

    /// <summary>Checked at request time, charged with the response's total tokens when the stream is done.</summary>
    Tokens,
}

/// <summary>How requests are grouped into counters (<c>per</c>).</summary>
public enum RateLimitSubjectKind
{
    /// <summary><c>global</c>: one counter for everyone.</summary>
    Global,

    /// <summary><c>header:&lt;name&gt;</c>: one counter per value of a request header; requests without it are not counted.</summary>
    Header,

    /// <summary><c>remote_address</c>: one counter per client address (Envoy's trusted remote address).</summary>
    RemoteAddress,

    /// <summary><c>metadata:&lt;namespace&gt;:&lt;key&gt;[:&lt;key&gt;…]</c>: one counter per string in request dynamic metadata.</summary>
    Metadata,
}

/// <summary>The compiled <c>per</c> of a limit.</summary>
/// <param name="Kind">The grouping.</param>
/// <param name="DescriptorKey">The descriptor entry's key (the header name, <c>remote_address</c>, the last metadata key); empty for global.</param>
/// <param name="Name">The header name (lower case) or metadata namespace; empty otherwise.</param>
/// <param name="Path">The metadata keys under the namespace; empty otherwise.</param>
public sealed record RateLimitSubject(RateLimitSubjectKind Kind, string DescriptorKey, string Name, System.Collections.Immutable.ImmutableArray<string> Path)
{
    /// <summary><c>global</c>.</summary>
    public static RateLimitSubject Global { get; } = new(RateLimitSubjectKind.Global, string.Empty, string.Empty, []);
}
