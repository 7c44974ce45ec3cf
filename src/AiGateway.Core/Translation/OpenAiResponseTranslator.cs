using System.Buffers;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Streaming;
using AiGateway.Core.Tokens;

namespace AiGateway.Core.Translation;

/// <summary>
/// Reads usage from OpenAI-format responses and streams, hides the usage chunk the gateway asked for when
/// the client did not, and normalises error bodies. Bodies otherwise pass unchanged.
/// </summary>
public sealed class OpenAiResponseTranslator(bool requestedStream, bool clientWantsUsage) : IResponseTranslator
{
    private SseEventSplitter? _events;
    private Mode _mode = Mode.Json;
    private int _status;
    private TokenUsage _usage;

    private enum Mode
    {
        Json,
        Stream,
        Error,
    }

    /// <inheritdoc />
    public TokenUsage Usage => _usage;

    /// <inheritdoc />
    public ResponseHeadersResult OnHeaders(int status, string? contentType, bool endOfStream)
    {
        _status = status;
        if (status >= 400)
        {
            _mode = Mode.Error;
            return endOfStream
                ? new ResponseHeadersResult(false, "application/json", ErrorBodyNormalizer.ForEmptyBody(status))
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
                return ErrorBodyNormalizer.TryNormalize(_status, chunk, output);
            case Mode.Json:
                var usage = OpenAiUsageReader.Read(chunk, out _);
                if (usage.Reported)
                {
                    _usage = usage;
                }

                return false;
            default:
                return OnStreamChunk(chunk, endOfStream, output);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _events?.Dispose();

    private bool OnStreamChunk(ReadOnlySpan<byte> chunk, bool endOfStream, IBufferWriter<byte> output)
    {
        var events = _events ??= new SseEventSplitter();
        var state = new StreamState(this, output, clientWantsUsage);
        var carriedIn = events.HasPartialEvent;
        events.Feed(chunk, ref state, static (ref StreamState s, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> data) =>
        {
            var keep = true;
            if (!data.IsEmpty && !data.SequenceEqual("[DONE]"u8))
            {
                var usage = OpenAiUsageReader.Read(data, out var choicesEmpty);
                if (usage.Reported)
                {
                    s.Owner._usage = usage;
                    keep = s.ClientWantsUsage || !choicesEmpty;
                }
            }

            if (keep && !s.ClientWantsUsage)
            {
                s.Output.Write(raw);
            }
            else
            {
                s.Dropped = true;
            }
        });

        if (clientWantsUsage)
        {
            // Nothing is ever dropped: the client sees the provider's bytes exactly as they came.
            if (endOfStream)
            {
                events.ClearPartialEvent();
            }

            return false;
        }

        if (endOfStream && events.HasPartialEvent)
        {
            output.Write(events.PartialEvent);
            events.ClearPartialEvent();
            return true;
        }

        return state.Dropped || carriedIn || events.HasPartialEvent;
    }

    private struct StreamState(OpenAiResponseTranslator owner, IBufferWriter<byte> output, bool clientWantsUsage)
    {
        public readonly OpenAiResponseTranslator Owner = owner;
        public readonly IBufferWriter<byte> Output = output;
        public readonly bool ClientWantsUsage = clientWantsUsage;
        public bool Dropped;
    }
}
