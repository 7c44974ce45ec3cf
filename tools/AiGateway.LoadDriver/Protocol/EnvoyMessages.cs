using System.Collections.Concurrent;
using Envoy.Config.Core.V3;
using Envoy.Extensions.Filters.Http.ExtProc.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace AiGateway.LoadDriver.Protocol;

/// <summary>
/// The ProcessingRequests Envoy sends for one chat completion, as envoy/envoy.yaml configures the two
/// filters. Messages that never change are built once and shared (protobuf messages are only read while
/// they are serialized); the per-request ones reuse the shared header entries.
/// </summary>
internal sealed class EnvoyMessages
{
    public const string RequestIdHeader = "x-ai-gateway-request-id";
    public const string ProviderHeader = "x-ai-gateway-provider";
    public const string AttributesKey = "envoy.filters.http.ext_proc";
    public const string ProviderAttribute = "xds.upstream_host_metadata.filter_metadata['ai_gateway']['provider']";
    public const string ClusterAttribute = "xds.cluster_name";
    public const string ClusterName = "aigw/openai/local-vllm";
    public const string DefaultProvider = "openai";

    private static readonly Metadata EmptyMetadata = new();

    private readonly HeaderValue[] _routerHeaders;
    private readonly HeaderValue _expectedTimeout = Header("x-envoy-expected-rq-timeout-ms", "600000");
    private readonly ProtocolConfiguration _routerProtocol = new()
    {
        RequestBodyMode = ProcessingMode.Types.BodySendMode.Buffered,
        ResponseBodyMode = ProcessingMode.Types.BodySendMode.Buffered,
    };

    private readonly ProtocolConfiguration _upstreamProtocol = new()
    {
        RequestBodyMode = ProcessingMode.Types.BodySendMode.None,
        ResponseBodyMode = ProcessingMode.Types.BodySendMode.None,
    };

    private readonly ConcurrentDictionary<string, Struct> _attributesByProvider = new(StringComparer.Ordinal);

    public EnvoyMessages(byte[] requestBody, byte[] responseBody)
    {
        RequestBodyBytes = requestBody.Length;
        ResponseBodyBytes = responseBody.Length;
        _routerHeaders =
        [
            Header(":authority", "gateway.example.internal:10000"),
            Header(":path", "/v1/chat/completions"),
            Header(":method", "POST"),
            Header(":scheme", "http"),
            Header("content-type", "application/json"),
            Header("content-length", requestBody.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Header("authorization", "Bearer sk-load-driver-client-key-0123456789abcdef"),
            Header("accept", "application/json"),
            Header("accept-encoding", "gzip, deflate"),
            Header("user-agent", "OpenAI/Python 1.54.4"),
            Header("x-stainless-lang", "python"),
            Header("x-stainless-package-version", "1.54.4"),
            Header("x-stainless-retry-count", "0"),
            Header("x-forwarded-proto", "http"),
        ];

        RouterRequestBody = new ProcessingRequest
        {
            MetadataContext = EmptyMetadata,
            RequestBody = new HttpBody { Body = ByteString.CopyFrom(requestBody), EndOfStream = true },
        };

        var responseHeaders = new HeaderMap();
        responseHeaders.Headers.Add(Header(":status", "200"));
        responseHeaders.Headers.Add(Header("content-type", "application/json"));
        responseHeaders.Headers.Add(Header("content-length", responseBody.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        responseHeaders.Headers.Add(Header("date", "Mon, 10 Mar 2025 01:25:52 GMT"));
        responseHeaders.Headers.Add(Header("openai-processing-ms", "412"));
        responseHeaders.Headers.Add(Header("x-request-id", "req_4f6a0c8d2b9e4e1c9a7f3b5d6e8c1a2b"));
        responseHeaders.Headers.Add(Header("x-envoy-upstream-service-time", "415"));
        RouterResponseHeaders = new ProcessingRequest
        {
            MetadataContext = EmptyMetadata,
            ResponseHeaders = new HttpHeaders { Headers = responseHeaders, EndOfStream = false },
        };

        RouterResponseBody = new ProcessingRequest
        {
            MetadataContext = EmptyMetadata,
            ResponseBody = new HttpBody { Body = ByteString.CopyFrom(responseBody), EndOfStream = true },
        };
    }

    public int RequestBodyBytes { get; }

    public int ResponseBodyBytes { get; }

    /// <summary>Router stream, message 2: the buffered request body.</summary>
    public ProcessingRequest RouterRequestBody { get; }

    /// <summary>Router stream, message 3: the provider's response headers.</summary>
    public ProcessingRequest RouterResponseHeaders { get; }

    /// <summary>Router stream, message 4: the buffered response body.</summary>
    public ProcessingRequest RouterResponseBody { get; }

    /// <summary>Router stream, message 1: the client's request headers (fresh <c>x-request-id</c>, as Envoy adds).</summary>
    public ProcessingRequest RouterRequestHeaders()
    {
        var map = new HeaderMap();
        map.Headers.Add(_routerHeaders);
        map.Headers.Add(Header("x-request-id", Guid.NewGuid().ToString()));
        return new ProcessingRequest
        {
            ProtocolConfig = _routerProtocol,
            MetadataContext = EmptyMetadata,
            RequestHeaders = new HttpHeaders { Headers = map, EndOfStream = false },
        };
    }

    /// <summary>
    /// Upstream stream, message 1: the request headers as the router filter left them (the router replies'
    /// header mutations applied), plus what Envoy's router adds, and the attributes the upstream filter asks for.
    /// </summary>
    public ProcessingRequest UpstreamRequestHeaders(HeaderMap routerHeaders, HeaderMutation? first, HeaderMutation? second, string provider)
    {
        var map = new HeaderMap();
        foreach (var header in routerHeaders.Headers)
        {
            if (!Touches(first, header.Key) && !Touches(second, header.Key))
            {
                map.Headers.Add(header);
            }
        }

        AddSets(map, first, second);
        AddSets(map, second, null);
        map.Headers.Add(_expectedTimeout);

        var request = new ProcessingRequest
        {
            ProtocolConfig = _upstreamProtocol,
            MetadataContext = EmptyMetadata,
            RequestHeaders = new HttpHeaders { Headers = map, EndOfStream = false },
        };
        request.Attributes.Add(AttributesKey, AttributesFor(provider));
        return request;
    }

    /// <summary>The value of a header the mutation sets (from <c>raw_value</c>), or null.</summary>
    public static string? SetValue(HeaderMutation? mutation, string name)
    {
        if (mutation is null)
        {
            return null;
        }

        foreach (var option in mutation.SetHeaders)
        {
            if (string.Equals(option.Header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return option.Header.RawValue.IsEmpty ? option.Header.Value : option.Header.RawValue.ToStringUtf8();
            }
        }

        return null;
    }

    private Struct AttributesFor(string provider) =>
        _attributesByProvider.GetOrAdd(provider, static name => new Struct
        {
            Fields =
            {
                [ProviderAttribute] = Value.ForString(name),
                [ClusterAttribute] = Value.ForString(ClusterName),
            },
        });

    private static bool Touches(HeaderMutation? mutation, string name)
    {
        if (mutation is null)
        {
            return false;
        }

        foreach (var removed in mutation.RemoveHeaders)
        {
            if (string.Equals(removed, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var set in mutation.SetHeaders)
        {
            if (string.Equals(set.Header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    // Adds the mutation's set headers, except those a later mutation sets again.
    private static void AddSets(HeaderMap map, HeaderMutation? mutation, HeaderMutation? later)
    {
        if (mutation is null)
        {
            return;
        }

        foreach (var set in mutation.SetHeaders)
        {
            if (SetValue(later, set.Header.Key) is null)
            {
                map.Headers.Add(set.Header);
            }
        }
    }

    private static HeaderValue Header(string name, string value) =>
        new() { Key = name, RawValue = ByteString.CopyFromUtf8(value) };
}
