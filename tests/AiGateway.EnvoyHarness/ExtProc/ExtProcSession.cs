using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AiGateway.EnvoyHarness.Config;
using AiGateway.EnvoyHarness.Filters;
using AiGateway.EnvoyHarness.Http;
using Envoy.Config.Core.V3;
using HeaderMap = AiGateway.EnvoyHarness.Http.HeaderMap;
using Envoy.Extensions.Filters.Http.ExtProc.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using BodySendMode = Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types.BodySendMode;
using HeaderSendMode = Envoy.Extensions.Filters.Http.ExtProc.V3.ProcessingMode.Types.HeaderSendMode;
using ResponseCase = Envoy.Service.ExtProc.V3.ProcessingResponse.ResponseOneofCase;

namespace AiGateway.EnvoyHarness.ExtProc;

/// <summary>
/// One ext_proc filter instance working on one HTTP request (or one upstream attempt): the gRPC stream, the processing
/// mode in force, and every rule of envoy-protocol.md §2 about what is sent and what a reply does.
/// </summary>
internal sealed class ExtProcSession : IAsyncDisposable
{
    private const string AttributesKey = "envoy.filters.http.ext_proc";

    private readonly ExtProcFilterConfig _config;
    private readonly HttpFilterContext _context;
    private readonly string _statPrefix;
    private ExtProcStream? _stream;
    private volatile bool _active = true;
    private bool _firstMessage = true;
    private bool _requestAttributesSent;
    private bool _responseAttributesSent;
    private HeaderMap? _requestHeaders;
    private HeaderMap? _responseHeaders;

    public ExtProcSession(ExtProcFilterConfig config, HttpFilterContext context, string statPrefix)
    {
        _config = config;
        _context = context;
        _statPrefix = statPrefix;
        Mode = config.ProcessingMode.Clone();
        context.Request.RegisterForDispose(this);
    }

    /// <summary>The processing mode in force (the configured one, possibly changed by an accepted mode_override).</summary>
    public ProcessingMode Mode { get; private set; }

    private LocalReplyOrigin Origin => _context.IsUpstream ? LocalReplyOrigin.UpstreamFilter : LocalReplyOrigin.Downstream;

    public async Task<RequestPhaseResult> ProcessRequestAsync(HarnessRequest request, CancellationToken cancellationToken)
    {
        var headers = request.Headers;
        _requestHeaders = headers;

        // Whether content-length is stripped is decided when the headers pass the filter, from the mode in force then.
        var stripContentLength = IsStripping(Mode.RequestBodyMode, Mode.RequestHeaderMode);
        var replaced = false;
        if (_active && Mode.RequestHeaderMode == HeaderSendMode.Send)
        {
            var message = new ProcessingRequest
            {
                RequestHeaders = new HttpHeaders { Headers = ProtoHeaders.ToProto(headers), EndOfStream = request.Body is null },
            };
            var result = await ExchangeAsync(message, ResponseCase.RequestHeaders, requestDirection: true, cancellationToken);
            if (result.Outcome is ExchangeOutcome.ImmediateResponse or ExchangeOutcome.Failed)
            {
                return RequestPhaseResult.Own(result.LocalReply!);
            }

            if (result.Outcome == ExchangeOutcome.Reply)
            {
                var common = result.Response!.RequestHeaders.Response ?? new CommonResponse();
                ApplyModeOverride(result.Response);
                replaced = common.Status == CommonResponse.Types.ResponseStatus.ContinueAndReplace;
                var mutation = ApplyHeaderMutation(headers, common.HeaderMutation, isResponse: false, allowMethod: replaced);
                if (mutation.Failed)
                {
                    return RequestPhaseResult.Own((await FailAsync(_config.StatusOnError, mutation.Error!, allowFailOpen: false)).LocalReply!);
                }

                HandleClearRouteCache(common, requestDirection: true);
                if (replaced && common.BodyMutation is { MutationCase: not BodyMutation.MutationOneofCase.None } bodyMutation)
                {
                    // The mutation's body replaces (or creates) the body; content-length goes after the header mutation.
                    headers.Remove("content-length");
                    request.Body = BodyStreams.FromBytes(BodyOf(bodyMutation, ReadOnlyMemory<byte>.Empty));
                }
            }
        }

        if (stripContentLength)
        {
            headers.Remove("content-length");
        }

        if (!replaced && _active && request.Body is not null)
        {
            switch (Mode.RequestBodyMode)
            {
                case BodySendMode.Buffered:
                    var body = await BodyStreams.ReadAllAsync(request.Body, _context.Request.BufferLimit, cancellationToken);
                    if (body is null)
                    {
                        // Envoy's own 413: the processor never sees the body, but its response path sees the reply.
                        return RequestPhaseResult.Other(LocalReplies.Create(413, "Payload Too Large", "request_payload_too_large", Origin));
                    }

                    var (newBody, failure) = await ExchangeBufferedBodyAsync(headers, body, requestDirection: true, cancellationToken);
                    if (failure is not null)
                    {
                        return RequestPhaseResult.Own(failure);
                    }

                    request.Body = BodyStreams.FromBytes(newBody);
                    break;
                case BodySendMode.Streamed:
                    request.Body = StreamBodyAsync(request.Body, requestDirection: true, cancellationToken);
                    return RequestPhaseResult.Continue;
                default:
                    break;
            }
        }

        await CloseIfResponseNeedsNothingAsync();
        return RequestPhaseResult.Continue;
    }

    public async Task<HarnessResponse> ProcessResponseAsync(HarnessResponse response, CancellationToken cancellationToken)
    {
        if (!_active)
        {
            return response;
        }

        var headers = response.Headers;
        _responseHeaders = headers;
        var stripContentLength = IsStripping(Mode.ResponseBodyMode, Mode.ResponseHeaderMode);
        var replaced = false;
        if (Mode.ResponseHeaderMode == HeaderSendMode.Send)
        {
            var message = new ProcessingRequest
            {
                ResponseHeaders = new HttpHeaders { Headers = ProtoHeaders.ToProto(headers), EndOfStream = response.Body is null },
            };
            var result = await ExchangeAsync(message, ResponseCase.ResponseHeaders, requestDirection: false, cancellationToken);
            if (result.Outcome is ExchangeOutcome.ImmediateResponse or ExchangeOutcome.Failed)
            {
                return ReplacementReply(result.LocalReply!);
            }

            if (result.Outcome == ExchangeOutcome.Reply)
            {
                var common = result.Response!.ResponseHeaders.Response ?? new CommonResponse();
                ApplyModeOverride(result.Response);
                replaced = common.Status == CommonResponse.Types.ResponseStatus.ContinueAndReplace;
                var mutation = ApplyHeaderMutation(headers, common.HeaderMutation, isResponse: true, allowMethod: false);
                if (mutation.Failed)
                {
                    return ReplacementReply((await FailAsync(_config.StatusOnError, mutation.Error!, allowFailOpen: false)).LocalReply!);
                }

                HandleClearRouteCache(common, requestDirection: false);
                if (replaced && common.BodyMutation is { MutationCase: not BodyMutation.MutationOneofCase.None } bodyMutation)
                {
                    headers.Remove("content-length");
                    response.Body = BodyStreams.FromBytes(BodyOf(bodyMutation, ReadOnlyMemory<byte>.Empty));
                }
            }
        }

        if (stripContentLength)
        {
            headers.Remove("content-length");
        }

        if (!replaced && _active && response.Body is not null)
        {
            switch (Mode.ResponseBodyMode)
            {
                case BodySendMode.Buffered:
                    var body = await BodyStreams.ReadAllAsync(response.Body, _context.Request.BufferLimit, cancellationToken);
                    if (body is null)
                    {
                        await CloseAsync();
                        return ReplacementReply(LocalReplies.Create(500, "Internal Server Error", "response_payload_too_large", Origin));
                    }

                    var (newBody, failure) = await ExchangeBufferedBodyAsync(headers, body, requestDirection: false, cancellationToken);
                    if (failure is not null)
                    {
                        return ReplacementReply(failure);
                    }

                    response.Body = BodyStreams.FromBytes(newBody);
                    break;
                case BodySendMode.Streamed:
                    // Headers go on now; the stream is closed when the body ends.
                    response.Body = StreamBodyAsync(response.Body, requestDirection: false, cancellationToken);
                    return response;
                default:
                    break;
            }
        }

        await CloseAsync();
        return response;
    }

    public ValueTask DisposeAsync() => CloseAsync();

    private static bool IsStripping(BodySendMode body, HeaderSendMode header) =>
        body is BodySendMode.Streamed or BodySendMode.BufferedPartial or BodySendMode.FullDuplexStreamed
        || (body == BodySendMode.Buffered && header == HeaderSendMode.Skip);

    private static ReadOnlyMemory<byte> BodyOf(BodyMutation mutation, ReadOnlyMemory<byte> original) => mutation.MutationCase switch
    {
        BodyMutation.MutationOneofCase.Body => mutation.Body.Memory,
        BodyMutation.MutationOneofCase.DropBody => ReadOnlyMemory<byte>.Empty,
        _ => original,
    };

    /// <summary>A reply made in the response path goes straight to the client: the other filters do not process it.</summary>
    private static HarnessResponse ReplacementReply(HarnessResponse reply) =>
        new(reply.Headers, reply.Body) { Origin = reply.Origin, Details = reply.Details, SkipEncoderFilters = true };

    private async Task<(ReadOnlyMemory<byte> Body, HarnessResponse? Failure)> ExchangeBufferedBodyAsync(
        HeaderMap headers,
        byte[] body,
        bool requestDirection,
        CancellationToken cancellationToken)
    {
        var httpBody = new HttpBody { Body = ByteString.CopyFrom(body), EndOfStream = true };
        var message = requestDirection ? new ProcessingRequest { RequestBody = httpBody } : new ProcessingRequest { ResponseBody = httpBody };
        var result = await ExchangeAsync(message, requestDirection ? ResponseCase.RequestBody : ResponseCase.ResponseBody, requestDirection, cancellationToken);
        if (result.Outcome is ExchangeOutcome.ImmediateResponse or ExchangeOutcome.Failed)
        {
            return (default, result.LocalReply);
        }

        if (result.Outcome == ExchangeOutcome.Continue)
        {
            return (body, null);
        }

        var reply = requestDirection ? result.Response!.RequestBody : result.Response!.ResponseBody;
        var common = reply.Response ?? new CommonResponse();

        // The headers are still held in BUFFERED mode, so this reply's header mutation applies.
        var mutation = ApplyHeaderMutation(headers, common.HeaderMutation, isResponse: !requestDirection, allowMethod: false);
        if (mutation.Failed)
        {
            return (default, (await FailAsync(_config.StatusOnError, mutation.Error!, allowFailOpen: false)).LocalReply);
        }

        HandleClearRouteCache(common, requestDirection);
        if (common.BodyMutation is not { MutationCase: not BodyMutation.MutationOneofCase.None } bodyMutation)
        {
            return (body, null);
        }

        var newBody = BodyOf(bodyMutation, body);
        if (headers.Get("content-length") is { } contentLength
            && (!long.TryParse(contentLength, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length != newBody.Length))
        {
            return (default, (await FailAsync(_config.StatusOnError, "ext_proc_error_content_length_mismatch", allowFailOpen: false)).LocalReply);
        }

        return (newBody, null);
    }

    /// <summary>STREAMED: one message per chunk, sent without waiting for replies; replies apply FIFO to the oldest chunk.</summary>
    private async IAsyncEnumerable<BodyChunk> StreamBodyAsync(
        IAsyncEnumerable<BodyChunk> source,
        bool requestDirection,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pending = Channel.CreateUnbounded<(BodyChunk Chunk, bool Sent)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var pumpCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pump = PumpAsync(source, pending.Writer, requestDirection, pumpCancellation.Token);
        var expected = requestDirection ? ResponseCase.RequestBody : ResponseCase.ResponseBody;
        try
        {
            await foreach (var (chunk, sent) in pending.Reader.ReadAllAsync(cancellationToken))
            {
                if (!sent || !_active)
                {
                    yield return chunk;
                    continue;
                }

                var result = await ReceiveAsync(expected, cancellationToken);
                if (result.Outcome is ExchangeOutcome.ImmediateResponse or ExchangeOutcome.Failed)
                {
                    throw new ExtProcAbortException(this, result.LocalReply!);
                }

                if (result.Outcome == ExchangeOutcome.Continue)
                {
                    yield return chunk;
                    continue;
                }

                // Header mutations in STREAMED body replies are ignored: the headers already went on.
                var common = (requestDirection ? result.Response!.RequestBody : result.Response!.ResponseBody).Response;
                if (common?.ClearRouteCache == true)
                {
                    HandleClearRouteCache(new CommonResponse { ClearRouteCache = true }, requestDirection: false);
                }

                switch (common?.BodyMutation?.MutationCase)
                {
                    case BodyMutation.MutationOneofCase.Body:
                        yield return new BodyChunk(common.BodyMutation.Body.Memory, chunk.EndOfStream);
                        break;
                    case BodyMutation.MutationOneofCase.DropBody:
                        if (chunk.EndOfStream)
                        {
                            yield return new BodyChunk(ReadOnlyMemory<byte>.Empty, true);
                        }

                        break;
                    default:
                        yield return chunk;
                        break;
                }
            }
        }
        finally
        {
            await pumpCancellation.CancelAsync();
            await pump;
            if (requestDirection)
            {
                await CloseIfResponseNeedsNothingAsync();
            }
            else
            {
                await CloseAsync();
            }
        }
    }

    private async Task PumpAsync(
        IAsyncEnumerable<BodyChunk> source,
        ChannelWriter<(BodyChunk Chunk, bool Sent)> writer,
        bool requestDirection,
        CancellationToken cancellationToken)
    {
        Exception? error = null;
        try
        {
            await foreach (var chunk in source.WithCancellation(cancellationToken))
            {
                var sent = false;
                if (_active)
                {
                    var body = new HttpBody { Body = ByteString.CopyFrom(chunk.Data.Span), EndOfStream = chunk.EndOfStream };
                    var message = requestDirection ? new ProcessingRequest { RequestBody = body } : new ProcessingRequest { ResponseBody = body };
                    var failure = await SendAsync(message, requestDirection, cancellationToken);
                    if (failure is { Outcome: ExchangeOutcome.Failed } failed)
                    {
                        error = new ExtProcAbortException(this, failed.LocalReply!);
                        break;
                    }

                    sent = failure is null;
                }

                writer.TryWrite((chunk, sent));
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Handed to the reader, which rethrows it.
            error = exception;
        }
        catch (OperationCanceledException)
        {
            // The reader stopped early.
        }

        writer.TryComplete(error);
    }

    private async Task<ExchangeResult> ExchangeAsync(ProcessingRequest message, ResponseCase expected, bool requestDirection, CancellationToken cancellationToken)
    {
        var failure = await SendAsync(message, requestDirection, cancellationToken);
        return failure ?? await ReceiveAsync(expected, cancellationToken);
    }

    /// <summary>Sends one message (opening the stream lazily). Returns a result only when the stream could not take it.</summary>
    private async Task<ExchangeResult?> SendAsync(ProcessingRequest message, bool requestDirection, CancellationToken cancellationToken)
    {
        if (_stream is null)
        {
            try
            {
                _stream = ExtProcStream.Open(_context.Request.Runtime.Channels.Get(_config), _config.InitialMetadata);
                Count("streams_started");
            }
            catch (Exception exception) when (exception is InvalidOperationException or FormatException or Grpc.Core.RpcException)
            {
                return await FailAsync(_config.StatusOnError, "ext_proc_error_gRPC_error_14{stream_open_failed}", allowFailOpen: true);
            }
        }

        message.MetadataContext = ForwardedMetadata();
        if (_firstMessage)
        {
            _firstMessage = false;
            message.ProtocolConfig = new ProtocolConfiguration { RequestBodyMode = Mode.RequestBodyMode, ResponseBodyMode = Mode.ResponseBodyMode };
        }

        if (requestDirection && !_requestAttributesSent)
        {
            _requestAttributesSent = true;
            AddAttributes(message, _config.RequestAttributes);
        }
        else if (!requestDirection && !_responseAttributesSent)
        {
            _responseAttributesSent = true;
            AddAttributes(message, _config.ResponseAttributes);
        }

        try
        {
            await _stream.SendAsync(message, cancellationToken);
            Count("stream_msgs_sent");
            return null;
        }
        catch (Exception exception) when ((exception is Grpc.Core.RpcException or InvalidOperationException or IOException) && !cancellationToken.IsCancellationRequested)
        {
            // The call is over; how it ended decides what happens.
            var read = await _stream.ReceiveAsync(cancellationToken);
            return read.IsEndedOk ? await EndedByServerAsync() : await FailWithStatusAsync(read.Error ?? new Grpc.Core.Status(Grpc.Core.StatusCode.Unavailable, exception.Message));
        }
    }

    private async Task<ExchangeResult> ReceiveAsync(ResponseCase expected, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_config.MessageTimeout, _context.Request.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var timeoutOverridden = false;
        while (true)
        {
            var read = await _stream!.ReceiveAsync(linked.Token);
            if (read.Message is { } response)
            {
                Count("stream_msgs_received");
                if (response.OverrideMessageTimeout is { } requested)
                {
                    // Such a message is processed instead of everything else in it (envoy-protocol.md §2.12).
                    Count("override_message_timeout_received");
                    var duration = requested.ToTimeSpan();
                    if (!timeoutOverridden && _config.MaxMessageTimeout is { } max && duration >= TimeSpan.FromMilliseconds(1) && duration <= max)
                    {
                        timeoutOverridden = true;
                        timeout.CancelAfter(duration);
                    }
                    else
                    {
                        Count("override_message_timeout_ignored");
                    }

                    continue;
                }

                // Metadata is written before the rest of the reply is validated.
                WriteDynamicMetadata(response.DynamicMetadata);
                if (response.ResponseCase == ResponseCase.ImmediateResponse && !_config.DisableImmediateResponse)
                {
                    await CloseAsync();
                    var reply = ImmediateResponseBuilder.Build(response.ImmediateResponse, _config.MutationRules, Origin, () => Count("rejected_header_mutations"));
                    return ExchangeResult.Local(ExchangeOutcome.ImmediateResponse, reply);
                }

                if (response.ResponseCase == expected)
                {
                    return ExchangeResult.Reply(response);
                }

                Count("spurious_msgs_received");
                return await FailAsync(_config.StatusOnError, "ext_proc_error_spurious_message", allowFailOpen: true);
            }

            if (read.IsEndedOk)
            {
                return await EndedByServerAsync();
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (timeout.IsCancellationRequested)
            {
                Count("message_timeouts");
                return await FailAsync(504, "ext_proc_per-message_timeout_exceeded", allowFailOpen: true);
            }

            return await FailWithStatusAsync(read.Error!.Value);
        }
    }

    private async Task<ExchangeResult> EndedByServerAsync()
    {
        // Status OK from the server: stop consulting it and continue unmodified, whatever failure_mode_allow says.
        Count("server_half_closed");
        await CloseAsync();
        return ExchangeResult.Continue;
    }

    private Task<ExchangeResult> FailWithStatusAsync(Grpc.Core.Status status)
    {
        Count("streams_failed");
        var details = $"ext_proc_error_gRPC_error_{(int)status.StatusCode}{{{status.Detail}}}";
        return FailAsync(_config.StatusOnError, details, allowFailOpen: true);
    }

    private async Task<ExchangeResult> FailAsync(int status, string details, bool allowFailOpen)
    {
        await CloseAsync();
        if (allowFailOpen && _config.FailureModeAllow)
        {
            Count("failure_mode_allowed");
            return ExchangeResult.Continue;
        }

        return ExchangeResult.Local(ExchangeOutcome.Failed, LocalReplies.Create(status, string.Empty, details, Origin));
    }

    private MutationResult ApplyHeaderMutation(HeaderMap headers, HeaderMutation? mutation, bool isResponse, bool allowMethod)
    {
        var mode = isResponse ? (Mode.ResponseBodyMode, Mode.ResponseHeaderMode) : (Mode.RequestBodyMode, Mode.RequestHeaderMode);
        return HeaderMutationApplier.Apply(
            headers,
            mutation,
            _config.MutationRules,
            isResponse,
            dropContentLengthSet: IsStripping(mode.Item1, mode.Item2),
            allowMethod,
            () => Count("rejected_header_mutations"));
    }

    /// <summary>envoy-protocol.md §2.8: only router-level, request direction, with a header_mutation in the same reply.</summary>
    private void HandleClearRouteCache(CommonResponse common, bool requestDirection)
    {
        var wanted = common.ClearRouteCache || _config.RouteCacheAction == RouteCacheAction.Clear;
        if (!wanted)
        {
            return;
        }

        if (_context.IsUpstream)
        {
            if (common.ClearRouteCache)
            {
                Count("clear_route_cache_upstream_ignored");
            }

            return;
        }

        if (!requestDirection || common.HeaderMutation is null)
        {
            if (common.ClearRouteCache)
            {
                Count("clear_route_cache_ignored");
            }

            return;
        }

        if (_config.RouteCacheAction == RouteCacheAction.Retain)
        {
            Count("clear_route_cache_disabled");
            return;
        }

        _context.Request.ClearRouteCache();
    }

    /// <summary>envoy-protocol.md §2.11: header/trailer DEFAULT keeps the filter-level mode, body modes are literal.</summary>
    private void ApplyModeOverride(ProcessingResponse response)
    {
        if (response.ModeOverride is not { } requested || !_config.AllowModeOverride)
        {
            return;
        }

        foreach (var body in new[] { requested.RequestBodyMode, requested.ResponseBodyMode })
        {
            if (body is not (BodySendMode.None or BodySendMode.Streamed or BodySendMode.Buffered or BodySendMode.Grpc))
            {
                _context.Request.Runtime.Notes.Add($"mode_override with body mode {body} ignored: not supported by the harness.");
                return;
            }
        }

        var configured = _config.ProcessingMode;
        Mode = new ProcessingMode
        {
            RequestHeaderMode = Mode.RequestHeaderMode,
            ResponseHeaderMode = requested.ResponseHeaderMode == HeaderSendMode.Default ? configured.ResponseHeaderMode : requested.ResponseHeaderMode,
            RequestBodyMode = requested.RequestBodyMode == BodySendMode.Grpc ? BodySendMode.None : requested.RequestBodyMode,
            ResponseBodyMode = requested.ResponseBodyMode == BodySendMode.Grpc ? BodySendMode.None : requested.ResponseBodyMode,
            RequestTrailerMode = requested.RequestTrailerMode == HeaderSendMode.Default ? configured.RequestTrailerMode : requested.RequestTrailerMode,
            ResponseTrailerMode = requested.ResponseTrailerMode == HeaderSendMode.Default ? configured.ResponseTrailerMode : requested.ResponseTrailerMode,
        };
    }

    private void WriteDynamicMetadata(Struct? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        foreach (var (ns, value) in metadata.Fields)
        {
            if (!_config.ReceivingNamespaces.Contains(ns))
            {
                continue;
            }

            if (value.KindCase == Value.KindOneofCase.StructValue)
            {
                _context.Request.MergeDynamicMetadata(ns, value.StructValue);
            }
            else
            {
                _context.Request.EnsureDynamicMetadataNamespace(ns);
            }
        }
    }

    private Metadata ForwardedMetadata()
    {
        var forwarded = new Metadata();
        if (_config.ForwardingNamespaces.Count == 0)
        {
            return forwarded;
        }

        var snapshot = _context.Request.SnapshotDynamicMetadata();
        foreach (var ns in _config.ForwardingNamespaces)
        {
            if (snapshot.FilterMetadata.TryGetValue(ns, out var values))
            {
                forwarded.FilterMetadata[ns] = values;
            }
        }

        return forwarded;
    }

    private void AddAttributes(ProcessingRequest message, IReadOnlyList<string> expressions)
    {
        if (expressions.Count > 0)
        {
            message.Attributes[AttributesKey] = AttributeEvaluator.Evaluate(expressions, _context, _requestHeaders ?? new HeaderMap(), _responseHeaders);
        }
    }

    /// <summary>Early close (1.37+): once nothing will be sent for the response, end the stream right after the request phase.</summary>
    private async Task CloseIfResponseNeedsNothingAsync()
    {
        if (Mode.ResponseHeaderMode != HeaderSendMode.Send && Mode.ResponseBodyMode == BodySendMode.None)
        {
            await CloseAsync();
        }
    }

    private async ValueTask CloseAsync()
    {
        _active = false;
        if (_stream is { IsClosed: false } stream)
        {
            await stream.CloseAsync();
            Count("streams_closed");
        }
    }

    private void Count(string name) => _context.Request.Stats.Increment(_statPrefix + name);
}
