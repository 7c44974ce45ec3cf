using Envoy.Service.ExtProc.V3;
using Grpc.Core;

namespace AiGateway.TestKit;

/// <summary>Plays Envoy's side of one ext_proc stream: send a message, wait (bounded) for its one reply.</summary>
public sealed class EnvoyStream(AsyncDuplexStreamingCall<ProcessingRequest, ProcessingResponse> call) : IDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Sends <paramref name="request"/> and returns the reply.</summary>
    public async Task<ProcessingResponse> SendAsync(ProcessingRequest request)
    {
        await call.RequestStream.WriteAsync(request);
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        if (!await call.ResponseStream.MoveNext(timeout.Token))
        {
            throw new InvalidOperationException("the server closed the stream without a reply");
        }

        return call.ResponseStream.Current;
    }

    /// <summary>Waits (bounded) for the server to end the stream without another reply; returns its status.</summary>
    public async Task<Status> WaitForServerEndAsync()
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        if (await call.ResponseStream.MoveNext(timeout.Token))
        {
            throw new InvalidOperationException("the server sent another reply instead of ending the stream");
        }

        return call.GetStatus();
    }

    /// <summary>Half-closes like Envoy at the end of a request.</summary>
    public Task CompleteAsync() => call.RequestStream.CompleteAsync();

    /// <inheritdoc />
    public void Dispose() => call.Dispose();
}
