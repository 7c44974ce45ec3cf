using Envoy.Service.ExtProc.V3;
using Grpc.Core;
using Grpc.Net.Client;

namespace AiGateway.EnvoyHarness.ExtProc;

/// <summary>One <c>Process</c> call. Closing it half-closes and then cancels the call, like Envoy (envoy-protocol.md §2.1).</summary>
internal sealed class ExtProcStream : IAsyncDisposable
{
    private readonly AsyncDuplexStreamingCall<ProcessingRequest, ProcessingResponse> _call;
    private int _closed;

    private ExtProcStream(AsyncDuplexStreamingCall<ProcessingRequest, ProcessingResponse> call) => _call = call;

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    public static ExtProcStream Open(GrpcChannel channel, IReadOnlyList<KeyValuePair<string, string>> initialMetadata)
    {
        var headers = new Metadata();
        foreach (var (key, value) in initialMetadata)
        {
            headers.Add(key, value);
        }

        var client = new ExternalProcessor.ExternalProcessorClient(channel);
        return new ExtProcStream(client.Process(headers));
    }

    public Task SendAsync(ProcessingRequest request, CancellationToken cancellationToken) =>
        _call.RequestStream.WriteAsync(request, cancellationToken);

    /// <summary>Reads the next reply; <paramref name="cancellationToken"/> carries the message timeout.</summary>
    public async Task<StreamReadResult> ReceiveAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _call.ResponseStream.MoveNext(cancellationToken)
                ? StreamReadResult.FromMessage(_call.ResponseStream.Current)
                : StreamReadResult.EndedOk;
        }
        catch (RpcException exception)
        {
            return StreamReadResult.FromError(exception.Status);
        }
        catch (OperationCanceledException)
        {
            return StreamReadResult.FromError(new Status(StatusCode.Cancelled, "cancelled"));
        }
        catch (InvalidOperationException exception)
        {
            return StreamReadResult.FromError(new Status(StatusCode.Internal, exception.Message));
        }
    }

    /// <summary>Half-close, then reset: the server normally observes cancellation.</summary>
    public async ValueTask CloseAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        try
        {
            await _call.RequestStream.CompleteAsync();
        }
        catch (Exception exception) when (exception is RpcException or InvalidOperationException or IOException or OperationCanceledException)
        {
            // The call already ended; nothing to half-close.
        }

        _call.Dispose();
    }

    public ValueTask DisposeAsync() => CloseAsync();
}
