using System.Buffers;

namespace AiGateway.Core.Streaming;

/// <summary>
/// Splits a server-sent-events byte stream into whole events, chunk by chunk. A partial event at the end
/// of a chunk is carried over to the next one; nothing else is buffered.
/// </summary>
public sealed class SseEventSplitter : IDisposable
{
    private byte[]? _carry;
    private int _carryLength;

    /// <summary>Receives each whole event: its raw bytes (terminator included) and its joined <c>data</c> payload.</summary>
    public delegate void SseEventCallback<TState>(ref TState state, ReadOnlySpan<byte> rawEvent, ReadOnlySpan<byte> data);

    /// <summary>True when a partial event is waiting for more bytes.</summary>
    public bool HasPartialEvent => _carryLength > 0;

    /// <summary>The bytes of the partial event held back so far.</summary>
    public ReadOnlySpan<byte> PartialEvent => _carry.AsSpan(0, _carryLength);

    /// <summary>Feeds one chunk; calls <paramref name="onEvent"/> for every event it completes.</summary>
    public void Feed<TState>(ReadOnlySpan<byte> chunk, ref TState state, SseEventCallback<TState> onEvent)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        if (_carryLength == 0)
        {
            var consumed = Split(chunk, ref state, onEvent);
            Keep(chunk[consumed..]);
            return;
        }

        // Join the carried partial event with the new chunk, then split the joined span.
        var needed = _carryLength + chunk.Length;
        var joined = ArrayPool<byte>.Shared.Rent(needed);
        try
        {
            _carry.AsSpan(0, _carryLength).CopyTo(joined);
            chunk.CopyTo(joined.AsSpan(_carryLength));
            var span = joined.AsSpan(0, needed);
            var consumed = Split(span, ref state, onEvent);
            _carryLength = 0;
            Keep(span[consumed..]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(joined);
        }
    }

    /// <summary>Forgets the partial event (after it was flushed).</summary>
    public void ClearPartialEvent() => _carryLength = 0;

    /// <inheritdoc />
    public void Dispose()
    {
        if (_carry is not null)
        {
            ArrayPool<byte>.Shared.Return(_carry);
            _carry = null;
        }

        _carryLength = 0;
    }

    private static int Split<TState>(ReadOnlySpan<byte> span, ref TState state, SseEventCallback<TState> onEvent)
    {
        var eventStart = 0;
        var position = 0;
        while (position < span.Length)
        {
            var newline = span[position..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                break;
            }

            var lineEnd = position + newline;
            var line = span[position..lineEnd];
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            position = lineEnd + 1;
            if (line.Length == 0)
            {
                var raw = span[eventStart..position];
                if (raw.Length > 2 || !IsBlank(raw))
                {
                    EmitEvent(raw, ref state, onEvent);
                }
                else
                {
                    // A stray blank line between events: hand it on untouched as its own "event".
                    onEvent(ref state, raw, default);
                }

                eventStart = position;
            }
        }

        return eventStart;
    }

    private static bool IsBlank(ReadOnlySpan<byte> raw) => raw.Trim("\r\n"u8).IsEmpty;

    private static void EmitEvent<TState>(ReadOnlySpan<byte> raw, ref TState state, SseEventCallback<TState> onEvent)
    {
        // Most events carry exactly one data line: hand out a slice, no copy.
        ReadOnlySpan<byte> single = default;
        var dataLines = 0;
        for (var rest = raw; !rest.IsEmpty;)
        {
            var line = NextLine(ref rest);
            if (line.StartsWith("data:"u8))
            {
                dataLines++;
                single = DataValue(line);
            }
        }

        if (dataLines <= 1)
        {
            onEvent(ref state, raw, single);
            return;
        }

        // Several data lines are one payload joined with '\n' (the SSE rule).
        var joined = new ArrayBufferWriter<byte>(raw.Length);
        var first = true;
        for (var rest = raw; !rest.IsEmpty;)
        {
            var line = NextLine(ref rest);
            if (line.StartsWith("data:"u8))
            {
                if (!first)
                {
                    joined.Write("\n"u8);
                }

                joined.Write(DataValue(line));
                first = false;
            }
        }

        onEvent(ref state, raw, joined.WrittenSpan);
    }

    /// <summary>Cuts the next line (without its CR LF or LF) off the front of <paramref name="rest"/>.</summary>
    private static ReadOnlySpan<byte> NextLine(scoped ref ReadOnlySpan<byte> rest)
    {
        var newline = rest.IndexOf((byte)'\n');
        var line = newline < 0 ? rest : rest[..newline];
        rest = newline < 0 ? default : rest[(newline + 1)..];
        return line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
    }

    private static ReadOnlySpan<byte> DataValue(ReadOnlySpan<byte> line)
    {
        var value = line[5..];
        return value.Length > 0 && value[0] == (byte)' ' ? value[1..] : value;
    }

    private void Keep(ReadOnlySpan<byte> tail)
    {
        if (tail.IsEmpty)
        {
            _carryLength = 0;
            return;
        }

        if (_carry is null || _carry.Length < tail.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(tail.Length, 1024));
            if (_carry is not null)
            {
                ArrayPool<byte>.Shared.Return(_carry);
            }

            _carry = bigger;
        }

        tail.CopyTo(_carry);
        _carryLength = tail.Length;
    }
}
