using Envoy.Service.ExtProc.V3;

namespace AiGateway.ExtProc.Processing;

/// <summary>Handles the messages of one ext_proc stream. One instance per stream; not thread-safe.</summary>
internal interface IExchangeProcessor : IDisposable
{
    /// <summary>Answers request headers.</summary>
    ValueTask<ProcessingResponse> OnRequestHeadersAsync(ProcessingRequest request, CancellationToken cancellationToken);

    /// <summary>Answers a request body message.</summary>
    ValueTask<ProcessingResponse> OnRequestBodyAsync(ProcessingRequest request, CancellationToken cancellationToken);

    /// <summary>Answers response headers.</summary>
    ValueTask<ProcessingResponse> OnResponseHeadersAsync(ProcessingRequest request, CancellationToken cancellationToken);

    /// <summary>Answers a response body message.</summary>
    ValueTask<ProcessingResponse> OnResponseBodyAsync(ProcessingRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// True once the last reply Envoy needs was written (end of response, immediate response, or the
    /// upstream filter's one headers reply): the service then ends the stream with OK instead of waiting
    /// for Envoy to reset it.
    /// </summary>
    bool IsComplete { get; }

    /// <summary>The reply for a failure inside the gateway while handling the current message.</summary>
    ProcessingResponse InternalError();
}
