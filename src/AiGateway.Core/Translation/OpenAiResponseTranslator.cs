using System.Buffers;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Streaming;
using AiGateway.Core.Tokens;

namespace AiGateway.Core.Translation;

/// <summary>
/// Reads usage from OpenAI-format responses and streams, hides the usage chunk the gateway asked for when
/// the client did not, and normalises error bodies. Bodies otherwise pass unchanged, except that for
/// OpenAI-compatible servers a non-standard <c>"finish_reason":"eos"</c> (Together) becomes <c>stop</c>.
/// </summary>
public sealed class OpenAiResponseTranslator(bool requestedStream, bool clientWantsUsage, bool normalizeFinishReasons = false) : IResponseTranslator
{
    private static readonly byte[] FinishReasonName = "\"finish_reason\""u8.ToArray();
    private static readonly byte[] EosValue = "\"eos\""u8.ToArray();

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

                return normalizeFinishReasons && TryReplaceEos(chunk, output);
            default:
                return OnStreamChunk(chunk, endOfStream, output);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _events?.Dispose();

    private bool OnStreamChunk(ReadOnlySpan<byte> chunk, bool endOfStream, IBufferWriter<byte> output)
    {
        var events = _events ??= new SseEventSplitter();
        var passThrough = clientWantsUsage && !normalizeFinishReasons;
        var state = new StreamState(this, output, clientWantsUsage, passThrough, normalizeFinishReasons);
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

            if (!keep)
            {
                s.Dropped = true;
            }
            else if (!s.PassThrough)
            {
                if (s.NormalizeFinishReasons && TryReplaceEos(raw, s.Output))
                {
                    s.Dropped = true;
                }
                else
                {
                    s.Output.Write(raw);
                }
            }
        });

        if (passThrough)
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

    /// <summary>
    /// Writes <paramref name="source"/> with every <c>"finish_reason":"eos"</c> (any spacing around the
    /// colon) turned into <c>"stop"</c>, when it has one.
    /// </summary>
    private static bool TryReplaceEos(ReadOnlySpan<byte> source, IBufferWriter<byte> output)
    {
        var replaced = false;
        var searchFrom = 0;
        var copiedTo = 0;
        while (true)
        {
            var at = source[searchFrom..].IndexOf(FinishReasonName);
            if (at < 0)
            {
                break;
            }

            var value = searchFrom + at + FinishReasonName.Length;
            while (value < source.Length && source[value] is (byte)' ' or (byte)'\t')
            {
                value++;
            }

            if (value < source.Length && source[value] == (byte)':')
            {
                value++;
                while (value < source.Length && source[value] is (byte)' ' or (byte)'\t')
                {
                    value++;
                }

                if (source[value..].StartsWith(EosValue))
                {
                    output.Write(source[copiedTo..value]);
                    output.Write("\"stop\""u8);
                    copiedTo = value + EosValue.Length;
                    replaced = true;
                }
            }

            searchFrom = value;
        }

        if (replaced)
        {
            output.Write(source[copiedTo..]);
        }

        return replaced;
    }

    private struct StreamState(OpenAiResponseTranslator owner, IBufferWriter<byte> output, bool clientWantsUsage, bool passThrough, bool normalizeFinishReasons)
    {
        public readonly OpenAiResponseTranslator Owner = owner;
        public readonly IBufferWriter<byte> Output = output;
        public readonly bool ClientWantsUsage = clientWantsUsage;
        public readonly bool PassThrough = passThrough;
        public readonly bool NormalizeFinishReasons = normalizeFinishReasons;

        // True when the output differs from the events as received (one dropped or rewritten).
        public bool Dropped;
    }
}
