using System.Text;

namespace AiGateway.MockProvider;

/// <summary>One request as the mock provider received it (recorded before auth and faults are applied).</summary>
public sealed class RecordedRequest
{
    internal RecordedRequest(
        string method,
        string path,
        IReadOnlyDictionary<string, string> headers,
        ReadOnlyMemory<byte> body,
        DateTimeOffset timestamp)
    {
        Method = method;
        Path = path;
        Headers = headers;
        Body = body;
        Timestamp = timestamp;
    }

    /// <summary>HTTP method, e.g. <c>POST</c>.</summary>
    public string Method { get; }

    /// <summary>Path including the query string, e.g. <c>/v1/chat/completions?api-version=1</c>.</summary>
    public string Path { get; }

    /// <summary>Request headers with case-insensitive names; repeated headers are joined with <c>", "</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The request body bytes exactly as received.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The request body decoded as UTF-8.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body.Span);

    /// <summary>When the request was received, from the configured <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The value of header <paramref name="name"/> (case-insensitive), or <see langword="null"/>.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <inheritdoc />
    public override string ToString() => $"{Method} {Path} ({Body.Length} bytes)";
}
