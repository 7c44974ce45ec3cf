using System.Collections.Immutable;

namespace AiGateway.Core.Configuration;

/// <summary>The compiled <c>rate_limiting</c> section: what Envoy's rate-limit filter and the rate-limit service are rendered from.</summary>
/// <param name="ServiceHost">Host of the rate-limit service (gRPC, HTTP/2).</param>
/// <param name="ServicePort">Its port.</param>
/// <param name="Domain">The rate-limit domain both sides use.</param>
/// <param name="Timeout">How long Envoy waits for an answer; zero means no limit (Envoy 1.38+).</param>
/// <param name="FailureModeDeny">Whether Envoy refuses requests when the service cannot answer.</param>
/// <param name="ResponseHeaders">Whether Envoy adds <c>x-ratelimit-limit/remaining/reset</c>.</param>
/// <param name="Limits">The limits, in file order.</param>
public sealed record RateLimitingSettings(
    string ServiceHost,
    int ServicePort,
    string Domain,
    TimeSpan Timeout,
    bool FailureModeDeny,
    bool ResponseHeaders,
    ImmutableArray<GatewayRateLimit> Limits)
{
    /// <summary>The descriptor key of the entry that names the limit (first in every descriptor).</summary>
    public const string LimitKey = "limit";

    /// <summary>The descriptor key of the per-model entry.</summary>
    public const string ModelKey = "model";

    /// <summary>The request header extproc sets to the requested model before Envoy routes.</summary>
    public const string ModelHeader = "x-ai-gateway-model";

    /// <summary>The dynamic metadata extproc writes at the end of a response with the tokens it used.</summary>
    public const string TotalTokensMetadata = "%DYNAMIC_METADATA(ai_gateway:total_tokens)%";
}
