using System.Globalization;
using AiGateway.EnvoyHarness.Filters;
using AiGateway.EnvoyHarness.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using HarnessHeaderMap = AiGateway.EnvoyHarness.Http.HeaderMap;

namespace AiGateway.EnvoyHarness.Http;

/// <summary>
/// The HTTP connection manager: turns a Kestrel request into Envoy's header map (pseudo-headers, lower-case names,
/// <c>x-request-id</c>, <c>x-forwarded-proto</c>), runs the HCM filter chain and writes the response, resetting the
/// stream when the body fails after the headers went out.
/// </summary>
internal sealed class ConnectionManager(HarnessRuntime runtime, HttpFilterPipeline pipeline, Action<HarnessRequestRecord> completed)
{
    private static readonly HashSet<string> ConnectionHeaders = new(StringComparer.Ordinal)
    {
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host",
    };

    private string StatPrefix => $"http.{runtime.Bootstrap.Listener.ConnectionManager.StatPrefix}.";

    public async Task HandleAsync(HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        var headers = ReadHeaders(http);
        var state = new RequestState(runtime, headers) { RemoteAddress = http.Connection.RemoteIpAddress?.ToString() };

        // Like the HCM, match the route before the filters run; a cleared cache re-matches when next needed.
        state.GetRoute(headers);
        var canHaveBody = http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? false;
        var request = new HarnessRequest(headers, canHaveBody ? BodyStreams.FromStream(http.Request.Body, http.Request.ContentLength, cancellationToken) : null);
        runtime.Stats.Increment(StatPrefix + "downstream_rq_total");
        HarnessResponse? response = null;
        var aborted = false;
        string? details = null;
        try
        {
            try
            {
                response = await pipeline.InvokeAsync(new HttpFilterContext(state, null), request, cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested && exception is not ExtProc.ExtProcAbortException)
            {
                // A harness bug or an unsupported case: answer 500 and say why in the record.
                runtime.Stats.Increment("harness.unexpected_errors");
                response = LocalReplies.Create(500, string.Empty, $"harness_error{{{exception.GetType().Name}: {exception.Message}}}");
            }

            details = response.Details;
            await WriteAsync(http, response, cancellationToken);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ExtProc.ExtProcAbortException
            or HttpRequestException or InvalidOperationException or Grpc.Core.RpcException)
        {
            // Response headers may already be downstream: like Envoy, reset the stream.
            aborted = true;
            details = response is null ? "downstream_remote_disconnect" : $"stream_reset{{{exception.GetType().Name}}}";
            http.Abort();
        }
        finally
        {
            await state.DisposeAsync();
            runtime.Stats.Increment($"{StatPrefix}downstream_rq_{(response is null ? 0 : response.Status).ToString(CultureInfo.InvariantCulture)}");
            completed(new HarnessRequestRecord(
                state.Method,
                state.Path,
                state.LastRoute?.Name,
                state.ClusterName,
                state.Attempts,
                response?.Status ?? 0,
                details,
                aborted,
                MetadataConverter.ToDictionary(state.SnapshotDynamicMetadata())));
        }
    }

    private static HarnessHeaderMap ReadHeaders(HttpContext http)
    {
        var request = http.Request;
        var headers = new HarnessHeaderMap();
        headers.AddRaw(":method", request.Method);
        headers.AddRaw(":scheme", "http");
        headers.AddRaw(":authority", request.Headers.Host.ToString());
        headers.AddRaw(":path", http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (request.Path + request.QueryString).ToString());
        foreach (var (name, values) in request.Headers)
        {
            var lower = name.ToLowerInvariant();
            if (ConnectionHeaders.Contains(lower))
            {
                continue;
            }

            foreach (var value in values)
            {
                headers.AddRaw(lower, value ?? string.Empty);
            }
        }

        headers.Set("x-forwarded-proto", "http");
        if (!headers.Contains("x-request-id"))
        {
            headers.AddRaw("x-request-id", Guid.NewGuid().ToString());
        }

        return headers;
    }

    private static async Task WriteAsync(HttpContext http, HarnessResponse response, CancellationToken cancellationToken)
    {
        http.Response.StatusCode = response.Status is >= 100 and <= 999 ? response.Status : 500;
        foreach (var (name, value) in response.Headers.Entries)
        {
            if (!name.StartsWith(':') && !ConnectionHeaders.Contains(name))
            {
                http.Response.Headers.Append(name, value);
            }
        }

        if (!http.Response.Headers.ContainsKey("server"))
        {
            http.Response.Headers.Server = "envoy";
        }

        if (response.Body is null)
        {
            await http.Response.CompleteAsync();
            return;
        }

        await http.Response.StartAsync(cancellationToken);
        await foreach (var chunk in response.Body.WithCancellation(cancellationToken))
        {
            if (!chunk.Data.IsEmpty)
            {
                await http.Response.Body.WriteAsync(chunk.Data, cancellationToken);
                await http.Response.Body.FlushAsync(cancellationToken);
            }
        }

        await http.Response.CompleteAsync();
    }
}
