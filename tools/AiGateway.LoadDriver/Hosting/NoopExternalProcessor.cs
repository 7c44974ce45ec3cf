using Envoy.Service.ExtProc.V3;
using Grpc.Core;

namespace AiGateway.LoadDriver.Hosting;

/// <summary>
/// The baseline: answers every message with CONTINUE in the matching arm and does nothing else.
/// With <see cref="NoopOptions.CloseEarly"/> it also ends each stream with OK right after the last message
/// Envoy will send on it (upstream: the request headers; router: the final response body), before Envoy's
/// half-close + reset arrives — an experiment to price the reset path.
/// </summary>
internal sealed class NoopExternalProcessor(NoopOptions options) : ExternalProcessor.ExternalProcessorBase
{
    private static readonly ProcessingResponse RequestHeaders = new() { RequestHeaders = new HeadersResponse { Response = new CommonResponse() } };
    private static readonly ProcessingResponse RequestBody = new() { RequestBody = new BodyResponse { Response = new CommonResponse() } };
    private static readonly ProcessingResponse ResponseHeaders = new() { ResponseHeaders = new HeadersResponse { Response = new CommonResponse() } };
    private static readonly ProcessingResponse ResponseBody = new() { ResponseBody = new BodyResponse { Response = new CommonResponse() } };
    private static readonly ProcessingResponse RequestTrailers = new() { RequestTrailers = new TrailersResponse() };
    private static readonly ProcessingResponse ResponseTrailers = new() { ResponseTrailers = new TrailersResponse() };

    public override async Task Process(IAsyncStreamReader<ProcessingRequest> requestStream, IServerStreamWriter<ProcessingResponse> responseStream, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        var upstream = string.Equals(context.RequestHeaders.GetValue("x-ai-gateway-filter"), "upstream", StringComparison.Ordinal);
        try
        {
            while (await requestStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                var message = requestStream.Current;
                var reply = message.RequestCase switch
                {
                    ProcessingRequest.RequestOneofCase.RequestHeaders => RequestHeaders,
                    ProcessingRequest.RequestOneofCase.RequestBody => RequestBody,
                    ProcessingRequest.RequestOneofCase.ResponseHeaders => ResponseHeaders,
                    ProcessingRequest.RequestOneofCase.ResponseBody => ResponseBody,
                    ProcessingRequest.RequestOneofCase.RequestTrailers => RequestTrailers,
                    ProcessingRequest.RequestOneofCase.ResponseTrailers => ResponseTrailers,
                    _ => throw new RpcException(new Status(StatusCode.InvalidArgument, "ProcessingRequest without a request arm")),
                };
                await responseStream.WriteAsync(reply, cancellationToken).ConfigureAwait(false);
                if (options.CloseEarly && IsLast(message, upstream))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Envoy half-closes and resets: a normal end.
        }
        catch (IOException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static bool IsLast(ProcessingRequest message, bool upstream) => message.RequestCase switch
    {
        ProcessingRequest.RequestOneofCase.RequestHeaders => upstream,
        ProcessingRequest.RequestOneofCase.ResponseHeaders => message.ResponseHeaders.EndOfStream,
        ProcessingRequest.RequestOneofCase.ResponseBody => message.ResponseBody.EndOfStream,
        ProcessingRequest.RequestOneofCase.ResponseTrailers => true,
        _ => false,
    };
}
