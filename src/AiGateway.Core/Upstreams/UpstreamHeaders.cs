namespace AiGateway.Core.Upstreams;

/// <summary>Header names the gateway manages on provider-bound requests.</summary>
public static class UpstreamHeaders
{
    /// <summary>
    /// Every credential header any provider type uses. Each attempt removes those it does not set:
    /// Envoy shares one header map across retries, so a fallback attempt would otherwise carry the
    /// previous provider's credentials (or the client's gateway key).
    /// </summary>
    public static readonly IReadOnlyList<string> Credentials =
    [
        "authorization",
        "api-key",
        "x-api-key",
        "x-goog-api-key",
        "anthropic-version",
        "anthropic-beta",
        "x-amz-date",
        "x-amz-security-token",
        "x-amz-content-sha256",
        "openai-organization",
        "openai-project",
    ];
}
