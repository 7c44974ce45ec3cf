using AiGateway.Core.Configuration;

namespace AiGateway.Core.Upstreams.Credentials;

/// <summary>One translated attempt, as it will be sent: what credentials are computed over.</summary>
/// <param name="Provider">The attempt's provider.</param>
/// <param name="Method">HTTP method, e.g. <c>POST</c>.</param>
/// <param name="Path">Path and query exactly as sent (already percent-encoded).</param>
/// <param name="Headers">The headers the translator set (lower-case names), credentials not yet included.</param>
/// <param name="Body">The final body.</param>
public readonly record struct UpstreamAttempt(
    ProviderDefinition Provider,
    string Method,
    string Path,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    ReadOnlyMemory<byte> Body);
