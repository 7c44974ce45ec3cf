namespace AiGateway.EnvoyHarness.Http;

/// <summary>The request as filters see it. <see cref="Headers"/> is shared by the router and every upstream attempt.</summary>
internal sealed class HarnessRequest(HeaderMap headers, IAsyncEnumerable<BodyChunk>? body)
{
    public HeaderMap Headers { get; } = headers;

    /// <summary>Null when the headers ended the stream (no body message is sent for such a request).</summary>
    public IAsyncEnumerable<BodyChunk>? Body { get; set; } = body;
}
