using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AiGateway.Core.Upstreams.Credentials.Aws;

/// <summary>
/// AWS Signature Version 4 over a raw request (method, path and query as sent, headers, body), for
/// services other than S3 (provider-apis.md §4.2): the path is normalised and percent-encoded once more
/// (so an already-encoded path is effectively encoded twice), the query is decoded, re-encoded and
/// sorted, header values are trimmed and their inner spaces collapsed, and exactly one empty line
/// separates the header lines from the signed-header list. Proven by AWS's published SigV4 test suite.
/// </summary>
public static class SigV4Signer
{
    /// <summary>The algorithm name in the string to sign and the Authorization header.</summary>
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>The <c>x-amz-date</c> format, e.g. <c>20150830T123600Z</c>.</summary>
    public const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>Signs a request.</summary>
    /// <param name="method">HTTP method, e.g. <c>POST</c>.</param>
    /// <param name="pathAndQuery">Path and query exactly as sent (percent-encoded as on the wire).</param>
    /// <param name="headers">The headers to sign (any case; repeated names allowed). Include <c>host</c> and <c>x-amz-date</c>.</param>
    /// <param name="body">The body as sent.</param>
    /// <param name="accessKeyId">The access key id.</param>
    /// <param name="secretAccessKey">The secret access key.</param>
    /// <param name="region">The signing region, e.g. <c>us-east-1</c>.</param>
    /// <param name="service">The signing service, e.g. <c>bedrock</c>.</param>
    /// <param name="time">The signing time; must match <c>x-amz-date</c>.</param>
    public static SigV4Signature Sign(
        string method,
        string pathAndQuery,
        IEnumerable<KeyValuePair<string, string>> headers,
        ReadOnlySpan<byte> body,
        string accessKeyId,
        string secretAccessKey,
        string region,
        string service,
        DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(accessKeyId);
        var utc = time.ToUniversalTime();
        var amzDate = utc.ToString(AmzDateFormat, CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var scope = $"{date}/{region}/{service}/aws4_request";
        var canonical = CanonicalRequest(method, pathAndQuery, headers, body, out var signedHeaders);
        var stringToSign = StringToSign(amzDate, scope, canonical);

        Span<byte> signature = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(SigningKey(secretAccessKey, date, region, service), Encoding.UTF8.GetBytes(stringToSign), signature);
        var hex = Convert.ToHexStringLower(signature);
        var authorization = $"{Algorithm} Credential={accessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={hex}";
        return new SigV4Signature(authorization, amzDate, signedHeaders, hex, canonical, stringToSign);
    }

    /// <summary>The canonical request: method, URI, query, header lines, signed headers and body hash.</summary>
    public static string CanonicalRequest(
        string method,
        string pathAndQuery,
        IEnumerable<KeyValuePair<string, string>> headers,
        ReadOnlySpan<byte> body,
        out string signedHeaders)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        ArgumentNullException.ThrowIfNull(headers);
        var question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? pathAndQuery : pathAndQuery[..question];
        var query = question < 0 ? string.Empty : pathAndQuery[(question + 1)..];

        var builder = new StringBuilder(256 + pathAndQuery.Length);
        builder.Append(method.ToUpperInvariant()).Append('\n');
        AppendEncoded(builder, NormalizePath(path), keepSlash: true);
        builder.Append('\n');
        AppendCanonicalQuery(builder, query);
        builder.Append('\n');

        // Header lines each end with '\n'; the joining '\n' then leaves exactly one empty line.
        var grouped = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            var key = name.Trim().ToLowerInvariant();
            if (!grouped.TryGetValue(key, out var values))
            {
                grouped[key] = values = [];
            }

            values.Add(CollapseSpaces(value));
        }

        foreach (var (name, values) in grouped)
        {
            builder.Append(name).Append(':').AppendJoin(',', values).Append('\n');
        }

        builder.Append('\n');
        signedHeaders = string.Join(';', grouped.Keys);
        builder.Append(signedHeaders).Append('\n');
        builder.Append(HexSha256(body));
        return builder.ToString();
    }

    /// <summary>The string to sign: algorithm, timestamp, credential scope and the canonical request's hash.</summary>
    public static string StringToSign(string amzDate, string scope, string canonicalRequest)
    {
        ArgumentNullException.ThrowIfNull(canonicalRequest);
        return $"{Algorithm}\n{amzDate}\n{scope}\n{HexSha256(Encoding.UTF8.GetBytes(canonicalRequest))}";
    }

    /// <summary>The signing key: HMAC chain over date, region, service and <c>aws4_request</c>.</summary>
    public static byte[] SigningKey(string secretAccessKey, string date, string region, string service)
    {
        ArgumentNullException.ThrowIfNull(secretAccessKey);
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }

    /// <summary>Lower-case hex SHA-256 of <paramref name="data"/>.</summary>
    public static string HexSha256(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// Removes empty and <c>.</c> segments and resolves <c>..</c> (what AWS does for every service but S3),
    /// keeping a trailing slash. Encoded characters stay encoded: <c>%2F</c> is not a separator.
    /// </summary>
    private static string NormalizePath(string path)
    {
        if (path.Length == 0)
        {
            return "/";
        }

        if (!path.Contains("//", StringComparison.Ordinal) && !path.Contains("/.", StringComparison.Ordinal))
        {
            return path[0] == '/' ? path : "/" + path;
        }

        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                continue;
            }

            segments.Add(segment);
        }

        var normalized = "/" + string.Join('/', segments);
        return path.EndsWith('/') && normalized.Length > 1 ? normalized + "/" : normalized;
    }

    private static void AppendCanonicalQuery(StringBuilder builder, string query)
    {
        if (query.Length == 0)
        {
            return;
        }

        var pairs = new List<(string Name, string Value)>();
        foreach (var part in query.Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? part : part[..equals];
            var value = equals < 0 ? string.Empty : part[(equals + 1)..];
            pairs.Add((Encode(Uri.UnescapeDataString(name)), Encode(Uri.UnescapeDataString(value))));
        }

        pairs.Sort(static (a, b) =>
        {
            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        });
        for (var i = 0; i < pairs.Count; i++)
        {
            if (i > 0)
            {
                builder.Append('&');
            }

            builder.Append(pairs[i].Name).Append('=').Append(pairs[i].Value);
        }
    }

    private static string Encode(string value)
    {
        var builder = new StringBuilder(value.Length + 8);
        AppendEncoded(builder, value, keepSlash: false);
        return builder.ToString();
    }

    /// <summary>Percent-encodes every UTF-8 byte except <c>A-Z a-z 0-9 - _ . ~</c> (and <c>/</c> when asked), upper-case hex.</summary>
    private static void AppendEncoded(StringBuilder builder, string value, bool keepSlash)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(value.Length);
        var rented = maxBytes > 512 ? ArrayPool<byte>.Shared.Rent(maxBytes) : null;
        try
        {
            Span<byte> bytes = rented ?? stackalloc byte[512];
            var count = Encoding.UTF8.GetBytes(value, bytes);
            foreach (var b in bytes[..count])
            {
                if (b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9'
                    or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~' || (keepSlash && b == '/'))
                {
                    builder.Append((char)b);
                }
                else
                {
                    builder.Append('%').Append(HexUpper[b >> 4]).Append(HexUpper[b & 0xF]);
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private const string HexUpper = "0123456789ABCDEF";

    /// <summary>Trims a header value and collapses runs of spaces to one (values in quotes too, as AWS does).</summary>
    private static string CollapseSpaces(string value)
    {
        var trimmed = value.Trim();
        if (!trimmed.Contains("  ", StringComparison.Ordinal))
        {
            return trimmed;
        }

        var builder = new StringBuilder(trimmed.Length);
        var previousSpace = false;
        foreach (var c in trimmed)
        {
            if (c == ' ')
            {
                if (!previousSpace)
                {
                    builder.Append(c);
                }

                previousSpace = true;
            }
            else
            {
                builder.Append(c);
                previousSpace = false;
            }
        }

        return builder.ToString();
    }
}
