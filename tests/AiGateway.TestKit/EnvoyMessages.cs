using System.Text;
using Envoy.Config.Core.V3;
using Envoy.Service.ExtProc.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace AiGateway.TestKit;

/// <summary>Builds ProcessingRequest messages as Envoy sends them (lower-case names, values in raw_value).</summary>
public static class EnvoyMessages
{
    /// <summary>Request headers.</summary>
    public static ProcessingRequest RequestHeaders(string method, string path, bool endOfStream = false, params (string Name, string Value)[] extra) =>
        new()
        {
            RequestHeaders = new HttpHeaders
            {
                Headers = Map([(":method", method), (":path", path), (":authority", "gateway.test"), (":scheme", "http"), ("content-type", "application/json"), .. extra]),
                EndOfStream = endOfStream,
            },
            MetadataContext = new Metadata(),
        };

    /// <summary>Upstream-level request headers with the provider attribute of the chosen endpoint.</summary>
    public static ProcessingRequest UpstreamRequestHeaders(string provider, params (string Name, string Value)[] headers)
    {
        var message = new ProcessingRequest
        {
            RequestHeaders = new HttpHeaders { Headers = Map(headers) },
            MetadataContext = new Metadata(),
        };
        message.Attributes["envoy.filters.http.ext_proc"] = new Struct
        {
            Fields = { ["xds.upstream_host_metadata.filter_metadata['ai_gateway']['provider']"] = Value.ForString(provider) },
        };
        return message;
    }

    /// <summary>A request body message.</summary>
    public static ProcessingRequest RequestBody(string body, bool endOfStream = true) =>
        new() { RequestBody = new HttpBody { Body = ByteString.CopyFromUtf8(body), EndOfStream = endOfStream }, MetadataContext = new Metadata() };

    /// <summary>Response headers.</summary>
    public static ProcessingRequest ResponseHeaders(int status, string? contentType, bool endOfStream = false, params (string Name, string Value)[] extra)
    {
        List<(string, string)> headers = [(":status", status.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        if (contentType is not null)
        {
            headers.Add(("content-type", contentType));
        }

        headers.AddRange(extra);
        return new() { ResponseHeaders = new HttpHeaders { Headers = Map([.. headers]), EndOfStream = endOfStream }, MetadataContext = new Metadata() };
    }

    /// <summary>A response body message.</summary>
    public static ProcessingRequest ResponseBody(string body, bool endOfStream) =>
        new() { ResponseBody = new HttpBody { Body = ByteString.CopyFromUtf8(body), EndOfStream = endOfStream }, MetadataContext = new Metadata() };

    /// <summary>A header map.</summary>
    public static HeaderMap Map(params (string Name, string Value)[] headers)
    {
        var map = new HeaderMap();
        foreach (var (name, value) in headers)
        {
            map.Headers.Add(new HeaderValue { Key = name, RawValue = ByteString.CopyFromUtf8(value) });
        }

        return map;
    }

    /// <summary>The value a header mutation sets for <paramref name="name"/>, or null.</summary>
    public static string? SetValue(HeaderMutation? mutation, string name)
    {
        var option = mutation?.SetHeaders.FirstOrDefault(h => h.Header.Key == name);
        return option is null ? null : Encoding.UTF8.GetString(option.Header.RawValue.Span);
    }
}
