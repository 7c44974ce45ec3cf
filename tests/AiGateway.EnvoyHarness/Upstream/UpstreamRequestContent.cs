using System.Net;

namespace AiGateway.EnvoyHarness.Upstream;

/// <summary>A request body whose length is known only when the request carries <c>content-length</c> (otherwise chunked).</summary>
internal sealed class UpstreamRequestContent : HttpContent
{
    private readonly byte[] _body;
    private readonly long? _contentLength;

    public UpstreamRequestContent(byte[] body, long? contentLength)
    {
        _body = body;
        _contentLength = contentLength;
        if (contentLength is { } length)
        {
            Headers.ContentLength = length;
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        await stream.WriteAsync(_body, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = _contentLength ?? 0;
        return _contentLength is not null;
    }
}
