namespace AiGateway.Core.Translation;

/// <summary>What one attempt sends to a provider, besides the body: path and headers to set.</summary>
/// <param name="Path">The request path, e.g. <c>/v1/chat/completions</c>.</param>
/// <param name="Headers">Headers to set (lower-case names), credentials included.</param>
public sealed record UpstreamRequest(string Path, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    /// <summary>Set when the request cannot be sent to this provider (a parameter it cannot honour).</summary>
    public ClientError? Error { get; init; }

    /// <summary>A translation that failed with a client error.</summary>
    public static UpstreamRequest Failed(ClientError error) => new(string.Empty, []) { Error = error };
}
