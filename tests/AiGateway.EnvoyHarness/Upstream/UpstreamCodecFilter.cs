using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using AiGateway.EnvoyHarness.Filters;
using AiGateway.EnvoyHarness.Http;

namespace AiGateway.EnvoyHarness.Upstream;

/// <summary>
/// <c>envoy.filters.http.upstream_codec</c> (terminal): sends the attempt to the chosen host over HTTP/1.1 and streams
/// the response back. Without <c>content-length</c> a body goes chunked, as Envoy's HTTP/1 codec does.
/// </summary>
internal sealed class UpstreamCodecFilter(HttpClient client) : IHttpFilter
{
    public static readonly HttpRequestOptionsKey<string> TargetAddressKey = new("AiGateway.EnvoyHarness.TargetAddress");

    private static readonly HashSet<string> HopByHop = new(StringComparer.Ordinal)
    {
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host",
    };

    public async Task<HarnessResponse> InvokeAsync(HttpFilterContext context, HarnessRequest request, HttpFilterDelegate next, CancellationToken cancellationToken)
    {
        var attempt = context.Attempt ?? throw new InvalidOperationException("upstream_codec runs only as an upstream filter.");
        var headers = request.Headers;
        var address = attempt.Host.Address;
        var uriAuthority = address.StartsWith("unix:", StringComparison.Ordinal) ? "localhost" : address;
        var message = new HttpRequestMessage(new HttpMethod(headers.Get(":method") ?? "GET"), new Uri($"http://{uriAuthority}{headers.Get(":path") ?? "/"}"))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        context.Request.RegisterForDispose(message);
        message.Options.Set(TargetAddressKey, address);
        message.Headers.Host = headers.Get(":authority") ?? attempt.Host.Hostname ?? address;

        var body = request.Body is null ? null : await BodyStreams.ReadAllAsync(request.Body, long.MaxValue, cancellationToken);
        long? contentLength = headers.Get("content-length") is { } text && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var length) ? length : null;
        if (body is { Length: > 0 } || contentLength is not null)
        {
            message.Content = new UpstreamRequestContent(body ?? [], contentLength);
        }

        foreach (var (name, value) in headers.Entries)
        {
            if (name.StartsWith(':') || HopByHop.Contains(name) || name == "content-length")
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            var kind = exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
                ? UpstreamFailureKind.ConnectFailure
                : UpstreamFailureKind.Reset;
            throw new UpstreamFailureException(kind, exception);
        }

        context.Request.RegisterForDispose(response);
        var responseHeaders = new HeaderMap();
        responseHeaders.AddRaw(":status", ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
        AddHeaders(responseHeaders, response.Headers);
        AddHeaders(responseHeaders, response.Content.Headers);
        var responseLength = response.Content.Headers.ContentLength;
        var bodiless = message.Method == HttpMethod.Head || response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotModified || responseLength == 0;
        IAsyncEnumerable<BodyChunk>? responseBody = null;
        if (!bodiless)
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            responseBody = BodyStreams.FromStream(stream, responseLength, cancellationToken);
        }

        return new HarnessResponse(responseHeaders, responseBody);
    }

    private static void AddHeaders(HeaderMap target, HttpHeaders source)
    {
        foreach (var (name, values) in source.NonValidated)
        {
            var lower = name.ToLowerInvariant();
            if (HopByHop.Contains(lower))
            {
                continue;
            }

            foreach (var value in values)
            {
                target.AddRaw(lower, value);
            }
        }
    }
}
