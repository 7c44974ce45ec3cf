using System.Net;
using System.Text;

namespace AiGateway.EnvoyHarness.Tests.Infrastructure;

/// <summary>A request body sent chunked: writes each part, flushes, and waits for its gate before the next one.</summary>
public sealed class ChunkedContent(IReadOnlyList<(string Text, TaskCompletionSource? GateAfter)> parts) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        foreach (var (text, gate) in parts)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
            await stream.FlushAsync(cancellationToken);
            if (gate is not null)
            {
                await gate.WaitBoundedAsync();
            }
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
