using System.Diagnostics;
using Envoy.Service.ExtProc.V3;
using Grpc.Core;

namespace AiGateway.LoadDriver.Protocol;

/// <summary>
/// Plays Envoy's two ext_proc filters for one chat completion, in Envoy's order (docs/extproc.md):
/// router stream request headers → request body → one upstream stream (request headers with the
/// provider attribute, then half-close and reset) → router stream response headers → response body →
/// half-close and reset. Each message waits for its reply, and each reply must carry the matching arm.
/// </summary>
internal sealed class EnvoySimulator : Measurement.IRequestScenario
{
    private static readonly Metadata UpstreamCallHeaders = new() { { "x-ai-gateway-filter", "upstream" } };

    private readonly ExternalProcessor.ExternalProcessorClient[] _connections;
    private readonly EnvoyMessages _messages;
    private int _next = -1;

    public EnvoySimulator(ExternalProcessor.ExternalProcessorClient[] connections, EnvoyMessages messages)
    {
        _connections = connections;
        _messages = messages;
    }

    /// <summary>Runs one simulated request; returns the Stopwatch timestamp of the last reply.</summary>
    public async Task<long> RunAsync(CancellationToken cancellationToken)
    {
        // Like Envoy's workers: streams spread over a few long-lived HTTP/2 connections, and a request's
        // upstream stream goes over the same connection as its router stream.
        var client = _connections[(uint)Interlocked.Increment(ref _next) % (uint)_connections.Length];
        var router = client.Process(cancellationToken: cancellationToken);
        try
        {
            var headers = _messages.RouterRequestHeaders();
            await router.RequestStream.WriteAsync(headers, cancellationToken).ConfigureAwait(false);
            var afterHeaders = await ReplyAsync(router, ProcessingResponse.ResponseOneofCase.RequestHeaders, "router request_headers", cancellationToken).ConfigureAwait(false);
            var headerMutation = afterHeaders.RequestHeaders.Response?.HeaderMutation;

            await router.RequestStream.WriteAsync(_messages.RouterRequestBody, cancellationToken).ConfigureAwait(false);
            var afterBody = await ReplyAsync(router, ProcessingResponse.ResponseOneofCase.RequestBody, "router request_body", cancellationToken).ConfigureAwait(false);
            var bodyMutation = afterBody.RequestBody.Response?.HeaderMutation;
            var provider = EnvoyMessages.SetValue(bodyMutation, EnvoyMessages.ProviderHeader) ?? EnvoyMessages.DefaultProvider;

            await UpstreamAttemptAsync(client, _messages.UpstreamRequestHeaders(headers.RequestHeaders.Headers, headerMutation, bodyMutation, provider), cancellationToken).ConfigureAwait(false);

            await router.RequestStream.WriteAsync(_messages.RouterResponseHeaders, cancellationToken).ConfigureAwait(false);
            await ReplyAsync(router, ProcessingResponse.ResponseOneofCase.ResponseHeaders, "router response_headers", cancellationToken).ConfigureAwait(false);

            await router.RequestStream.WriteAsync(_messages.RouterResponseBody, cancellationToken).ConfigureAwait(false);
            await ReplyAsync(router, ProcessingResponse.ResponseOneofCase.ResponseBody, "router response_body", cancellationToken).ConfigureAwait(false);
            var done = Stopwatch.GetTimestamp();

            // Envoy's default close: half-close, then reset (Dispose). The server may already have ended the
            // stream with OK, which Envoy accepts after the last reply: nothing after this point is an error.
            await HalfCloseAsync(router).ConfigureAwait(false);
            return done;
        }
        finally
        {
            router.Dispose();
        }
    }

    private static async Task UpstreamAttemptAsync(ExternalProcessor.ExternalProcessorClient client, ProcessingRequest headers, CancellationToken cancellationToken)
    {
        var upstream = client.Process(UpstreamCallHeaders, cancellationToken: cancellationToken);
        try
        {
            await upstream.RequestStream.WriteAsync(headers, cancellationToken).ConfigureAwait(false);
            await ReplyAsync(upstream, ProcessingResponse.ResponseOneofCase.RequestHeaders, "upstream request_headers", cancellationToken).ConfigureAwait(false);
            await HalfCloseAsync(upstream).ConfigureAwait(false);
        }
        finally
        {
            upstream.Dispose();
        }
    }

    private static async Task HalfCloseAsync(AsyncDuplexStreamingCall<ProcessingRequest, ProcessingResponse> call)
    {
        try
        {
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException or OperationCanceledException)
        {
        }
    }

    private static async Task<ProcessingResponse> ReplyAsync(
        AsyncDuplexStreamingCall<ProcessingRequest, ProcessingResponse> call,
        ProcessingResponse.ResponseOneofCase expected,
        string phase,
        CancellationToken cancellationToken)
    {
        if (!await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            throw new ProtocolException($"{phase}: server ended the stream without a reply");
        }

        var reply = call.ResponseStream.Current;
        if (reply.ResponseCase == expected)
        {
            return reply;
        }

        if (reply.ResponseCase == ProcessingResponse.ResponseOneofCase.ImmediateResponse)
        {
            var status = reply.ImmediateResponse.Status is { } s ? (int)s.Code : 0;
            throw new ProtocolException($"{phase}: immediate_response {status} {reply.ImmediateResponse.Details}".TrimEnd());
        }

        throw new ProtocolException($"{phase}: expected {expected}, got {reply.ResponseCase}");
    }
}
