namespace AiGateway.RateLimit.Configuration;

/// <summary>The rule a request descriptor matched, with what the match adds for this request.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="StatsKey">The stats key to count under (the rule's, or one with request values).</param>
/// <param name="SharedValues">Per entry index, the wildcard pattern to use in the counter key instead of the request's
/// value (<c>share_threshold</c>); null when no entry shares.</param>
public sealed record MatchedLimit(LimitRule Rule, string StatsKey, string?[]? SharedValues);
