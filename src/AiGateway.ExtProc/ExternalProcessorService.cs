using AiGateway.Core.Configuration;
using AiGateway.Core.Translation;
using AiGateway.ExtProc.Processing;
using AiGateway.ExtProc.Telemetry;
using Envoy.Service.ExtProc.V3;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace AiGateway.ExtProc;

/// <summary>
/// The bidirectional <c>Process</c> loop. Each stream gets a processor for its role (router-level or
/// upstream-level, see docs/extproc.md); every message goes to that processor and gets exactly one reply.
/// </summary>
internal sealed class ExternalProcessorService(
    GatewayConfigStore configStore,
    ExchangeStore exchanges,
    TranslatorRegistry translators,
    ExtProcOptions options,
    GatewayMetrics metrics,
    AiGateway.Core.Upstreams.ProviderRateLimitBoard rateLimits,
    TimeProvider timeProvider,
    AiGateway.Core.Upstreams.Credentials.UpstreamCredentialStore credentials,
    ILogger<ExternalProcessorService> logger) : ExternalProcessor.ExternalProcessorBase
{
    /// <summary>gRPC call header the upstream filter sends (<c>grpc_service.initial_metadata</c>).</summary>
    public const string FilterRoleHeader = "x-ai-gateway-filter";

    public override async Task Process(IAsyncStreamReader<ProcessingRequest> requestStream, IServerStreamWriter<ProcessingResponse> responseStream, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        var upstreamByHeader = string.Equals(context.RequestHeaders.GetValue(FilterRoleHeader), "upstream", StringComparison.Ordinal);
        IExchangeProcessor? processor = null;
        try
        {
            while (await requestStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                var message = requestStream.Current;
                if (message.ObservabilityMode)
                {
                    continue;
                }

                processor ??= upstreamByHeader || UpstreamProcessor.HasUpstreamAttributes(message)
                    ? new UpstreamProcessor(exchanges, translators, credentials, metrics, logger)
                    : new RouterProcessor(configStore, exchanges, translators, options, metrics, rateLimits, credentials, timeProvider, logger);

                ProcessingResponse reply;
                try
                {
                    reply = await Dispatch(processor, message, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException and not RpcException)
                {
                    Log.StreamFailed(logger, message.RequestCase.ToString(), "-", e);
                    reply = processor.InternalError();
                }

                await responseStream.WriteAsync(reply, cancellationToken).ConfigureAwait(false);
                if (processor.IsComplete || reply.ResponseCase == ProcessingResponse.ResponseOneofCase.ImmediateResponse)
                {
                    // Nothing more will come for this request: end with OK (Envoy has applied the reply
                    // and continues unmodified) rather than wait for Envoy's reset, which is costlier.
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Envoy half-closes and resets the stream when it is done: a normal end, not an error.
        }
        catch (IOException)
        {
            // The same reset, seen from the transport ("the client reset the request stream").
        }
        finally
        {
            processor?.Dispose();
        }
    }

    private static ValueTask<ProcessingResponse> Dispatch(IExchangeProcessor processor, ProcessingRequest message, CancellationToken cancellationToken) =>
        message.RequestCase switch
        {
            ProcessingRequest.RequestOneofCase.RequestHeaders => processor.OnRequestHeadersAsync(message, cancellationToken),
            ProcessingRequest.RequestOneofCase.RequestBody => processor.OnRequestBodyAsync(message, cancellationToken),
            ProcessingRequest.RequestOneofCase.ResponseHeaders => processor.OnResponseHeadersAsync(message, cancellationToken),
            ProcessingRequest.RequestOneofCase.ResponseBody => processor.OnResponseBodyAsync(message, cancellationToken),
            ProcessingRequest.RequestOneofCase.RequestTrailers => ValueTask.FromResult(new ProcessingResponse { RequestTrailers = new TrailersResponse() }),
            ProcessingRequest.RequestOneofCase.ResponseTrailers => ValueTask.FromResult(new ProcessingResponse { ResponseTrailers = new TrailersResponse() }),
            _ => throw new RpcException(new Status(StatusCode.InvalidArgument, "ProcessingRequest without a request arm")),
        };
}
