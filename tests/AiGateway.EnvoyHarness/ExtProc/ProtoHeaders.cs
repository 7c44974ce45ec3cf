using System.Text;
using AiGateway.EnvoyHarness.Http;
using Google.Protobuf;
using ProtoHeaderMap = Envoy.Config.Core.V3.HeaderMap;
using ProtoHeaderValue = Envoy.Config.Core.V3.HeaderValue;

namespace AiGateway.EnvoyHarness.ExtProc;

/// <summary>Header map to the wire: lower-case keys, pseudo-headers first, values in <c>raw_value</c> only (envoy-protocol.md §2.3).</summary>
internal static class ProtoHeaders
{
    public static ProtoHeaderMap ToProto(HeaderMap headers)
    {
        var map = new ProtoHeaderMap();
        foreach (var (key, value) in headers.Entries.Where(e => e.Key.StartsWith(':')).Concat(headers.Entries.Where(e => !e.Key.StartsWith(':'))))
        {
            map.Headers.Add(new ProtoHeaderValue { Key = key, RawValue = ByteString.CopyFromUtf8(value) });
        }

        return map;
    }

    /// <summary>The value Envoy's ext_proc uses for a mutation: <c>raw_value</c>, never <c>value</c>.</summary>
    public static string MutationValue(ProtoHeaderValue header) => Encoding.UTF8.GetString(header.RawValue.Span);
}
