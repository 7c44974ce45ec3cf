using System.Buffers;
using AiGateway.Core.Schemas.Anthropic;
using AiGateway.Core.Streaming;
using AiGateway.Core.Tokens;

namespace AiGateway.Core.Translation;

/// <summary>
/// Anthropic responses to Anthropic clients: bodies and event streams pass unchanged while their usage is
/// read; error bodies that are not Anthropic error JSON (Envoy's local replies, a proxy's page, the
/// gateway's own OpenAI-format replies) become Anthropic error JSON with the status kept. Also the
/// translator for responses of Messages requests that were never routed (local replies).
/// </summary>
public sealed class AnthropicPassThroughResponseTranslator(bool requestedStream) : IResponseTranslator
{
    private SseEventSplitter? _events;
    private AnthropicUsageReader.Counts _counts;
    private Mode _mode;
    private int _status;

    private enum Mode
    {
        Json,
        Stream,
        Error,
    }

    /// <inheritdoc />
    public TokenUsage Usage => _counts.ToTokenUsage();

    /// <inheritdoc />
    public ResponseHeadersResult OnHeaders(int status, string? contentType, bool endOfStream)
    {
        _status = status;
        if (status >= 400)
        {
            _mode = Mode.Error;
            return endOfStream
                ? new ResponseHeadersResult(false, "application/json", AnthropicErrorNormalizer.ForEmptyBody(status))
                : new ResponseHeadersResult(false, null, null);
        }

        var isEventStream = contentType is not null && contentType.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase);
        _mode = requestedStream && isEventStream && !endOfStream ? Mode.Stream : Mode.Json;
        return new ResponseHeadersResult(_mode == Mode.Stream, null, null);
    }

    /// <inheritdoc />
    public bool OnBody(ReadOnlySpan<byte> chunk, bool endOfStream, IBufferWriter<byte> output)
    {
        switch (_mode)
        {
            case Mode.Error:
                return AnthropicErrorNormalizer.TryNormalize(_status, chunk, output);
            case Mode.Json:
                AnthropicUsageReader.Read(chunk, ref _counts);
                return false;
            default:
                var events = _events ??= new SseEventSplitter();
                var owner = this;
                events.Feed(chunk, ref owner, static (ref AnthropicPassThroughResponseTranslator self, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> data) =>
                {
                    // Only message_start and message_delta carry usage; skip the text deltas cheaply.
                    if (!data.IsEmpty && data.IndexOf("\"usage\""u8) >= 0)
                    {
                        AnthropicUsageReader.Read(data, ref self._counts);
                    }
                });
                if (endOfStream)
                {
                    events.ClearPartialEvent();
                }

                return false;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _events?.Dispose();
}
