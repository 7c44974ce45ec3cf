namespace AiGateway.Core.Translation;

/// <summary>
/// A client request after one pass over its body. <see cref="Body"/> holds the original bytes, never
/// modified: every attempt translates again from them.
/// </summary>
/// <param name="Endpoint">Which operation.</param>
/// <param name="Body">The original body.</param>
/// <param name="Model">The requested model.</param>
/// <param name="Stream">True for <c>stream: true</c>.</param>
/// <param name="ClientWantsUsage">True when the client set <c>stream_options.include_usage</c>.</param>
/// <param name="PreferProvider">The <c>prefer_provider</c> body field, if any.</param>
public sealed record ParsedRequest(EndpointKind Endpoint, ReadOnlyMemory<byte> Body, string Model, bool Stream, bool ClientWantsUsage, string? PreferProvider);
