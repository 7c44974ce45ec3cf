using Envoy.Service.ExtProc.V3;
using Grpc.Core;

namespace AiGateway.EnvoyHarness.Tests.Infrastructure;

/// <summary>One <c>Process</c> stream as the scripted server sees it. Every wait is bounded so a test cannot hang.</summary>
public sealed class ExtProcCall(IAsyncStreamReader<ProcessingRequest> requests, IServerStreamWriter<ProcessingResponse> responses, ServerCallContext context)
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(5);
    private readonly List<ProcessingRequest> _received = [];

    /// <summary>The gRPC call headers (Envoy's <c>initial_metadata</c>), copied when the call started.</summary>
    public IReadOnlyDictionary<string, string> CallHeaders { get; } =
        context.RequestHeaders.Where(h => !h.IsBinary).GroupBy(h => h.Key).ToDictionary(g => g.Key, g => g.First().Value);

    /// <summary>True when the gRPC call carries <c>x-ai-gateway-filter: upstream</c> (the upstream filter's initial_metadata).</summary>
    public bool IsUpstream => CallHeaders.GetValueOrDefault("x-ai-gateway-filter") == "upstream";

    public IReadOnlyList<ProcessingRequest> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>How the client ended the stream, once it did: "half-closed" (EOF) or "cancelled".</summary>
    public string? EndedBy { get; private set; }

    /// <summary>True once <see cref="WaitForCancellationAsync"/> saw the client reset the call.</summary>
    public bool CancellationObserved { get; private set; }

    /// <summary>The next message, or null when Envoy half-closed or reset the stream.</summary>
    public async Task<ProcessingRequest?> ReadAsync()
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        limit.CancelAfter(WaitLimit);
        try
        {
            if (await requests.MoveNext(limit.Token))
            {
                lock (_received)
                {
                    _received.Add(requests.Current);
                }

                return requests.Current;
            }

            EndedBy ??= "half-closed";
            return null;
        }
        catch (OperationCanceledException exception) when (limit.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("The harness sent nothing within the wait limit.", exception);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The client reset the stream (the exception can arrive before the call's token is flagged).
            EndedBy ??= "cancelled";
            return null;
        }
    }

    /// <summary>Reads the next message and fails when the stream ended instead.</summary>
    public async Task<ProcessingRequest> ExpectAsync() =>
        await ReadAsync() ?? throw new InvalidOperationException("The harness ended the stream but a message was expected.");

    public Task WriteAsync(ProcessingResponse response) => responses.WriteAsync(response, context.CancellationToken);

    /// <summary>Waits (bounded) until the client resets the call.</summary>
    public async Task WaitForCancellationAsync()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = context.CancellationToken.Register(() => cancelled.TrySetResult());
        await cancelled.Task.WaitAsync(WaitLimit);
        CancellationObserved = true;
        EndedBy ??= "cancelled";
    }
}
