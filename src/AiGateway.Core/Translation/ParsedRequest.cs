namespace AiGateway.Core.Translation;

/// <summary>
/// A client request after one pass over its body. <see cref="Body"/> holds the original bytes, never
/// modified: every attempt translates again from them.
/// </summary>
/// <param name="Endpoint">Which operation.</param>
/// <param name="Body">The original body.</param>
/// <param name="Model">The requested model.</param>
/// <param name="Stream">True for <c>stream: true</c>.</param>
/// <param name="ClientWantsUsage">
/// True when the client set <c>stream_options.include_usage</c>; always true for
/// <see cref="EndpointKind.Messages"/>, whose streams always carry usage.
/// </param>
/// <param name="PreferProvider">The <c>prefer_provider</c> body field, if any.</param>
public sealed record ParsedRequest(EndpointKind Endpoint, ReadOnlyMemory<byte> Body, string Model, bool Stream, bool ClientWantsUsage, string? PreferProvider)
{
    /// <summary>
    /// The client's <c>anthropic-beta</c> header (Messages requests only): forwarded when the request goes
    /// to an Anthropic provider unchanged.
    /// </summary>
    public string? AnthropicBeta { get; init; }

    /// <summary>The OpenAI <c>user</c> body field, if any: the end user the cost is attributed to.</summary>
    public string? User { get; init; }
}
