namespace AiGateway.EnvoyHarness.Http;

/// <summary>A response travelling back through the filters. The status lives in <c>:status</c>, as in Envoy.</summary>
internal sealed class HarnessResponse(HeaderMap headers, IAsyncEnumerable<BodyChunk>? body)
{
    public HeaderMap Headers { get; } = headers;

    public IAsyncEnumerable<BodyChunk>? Body { get; set; } = body;

    public LocalReplyOrigin Origin { get; init; } = LocalReplyOrigin.Upstream;

    /// <summary>Response code details, as Envoy's access log would show them (local replies only).</summary>
    public string? Details { get; init; }

    /// <summary>Set on a filter's own replacement reply in the response path: the other filters do not process it.</summary>
    public bool SkipEncoderFilters { get; init; }

    public int Status => int.TryParse(Headers.Get(":status"), System.Globalization.CultureInfo.InvariantCulture, out var status) ? status : 0;
}
