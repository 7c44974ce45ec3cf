using System.Buffers;
using AiGateway.Core.Tokens;

namespace AiGateway.Core.Translation;

/// <summary>Translates one provider response to the client's format. One instance per response; not thread-safe.</summary>
public interface IResponseTranslator : IDisposable
{
    /// <summary>Usage seen so far.</summary>
    TokenUsage Usage { get; }

    /// <summary>
    /// A status to answer with instead of the provider's, set when a whole (buffered) body could not be
    /// translated (e.g. 502 for a malformed provider answer); null otherwise.
    /// </summary>
    int? StatusOverride => null;

    /// <summary>
    /// True once a streamed body held an event that could not be parsed; an error event was written to the
    /// client in its place (extproc keeps the stream going; <c>aigw translate stream</c> exits with 2).
    /// </summary>
    bool MalformedInput => false;

    /// <summary>
    /// Called once, before <see cref="OnHeaders"/>, with a lookup of the provider's response headers by
    /// lower-case name, for translators that need more than the status and content type (Bedrock's
    /// <c>x-amzn-requestid</c> and <c>x-amzn-errortype</c>). Does nothing by default.
    /// </summary>
    void OnResponseHeaders(Func<string, string?> header)
    {
    }

    /// <summary>Called once with the response status and content type.</summary>
    /// <param name="status">HTTP status from the provider (or from an Envoy local reply).</param>
    /// <param name="contentType">The response content type, if any.</param>
    /// <param name="endOfStream">True when the response has no body.</param>
    ResponseHeadersResult OnHeaders(int status, string? contentType, bool endOfStream);

    /// <summary>Translates one body chunk (or the whole body).</summary>
    /// <param name="chunk">Bytes as received.</param>
    /// <param name="endOfStream">True for the last chunk.</param>
    /// <param name="output">Receives the translated bytes when they differ from <paramref name="chunk"/>.</param>
    /// <returns>True when <paramref name="output"/> replaces the chunk; false to pass the chunk unchanged.</returns>
    bool OnBody(ReadOnlySpan<byte> chunk, bool endOfStream, IBufferWriter<byte> output);
}
