using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;

namespace AiGateway.Core.Streaming.EventStream;

/// <summary>
/// Decodes an AWS event stream (<c>application/vnd.amazon.eventstream</c>, provider-apis.md §4.6) chunk by
/// chunk: frames straddle HTTP chunks, so an incomplete frame is carried over (in a pooled buffer, copying
/// only the bytes it still needs). Both CRCs are checked; impossible lengths are rejected from the
/// prelude, before anything is buffered.
/// </summary>
public sealed class EventStreamDecoder : IDisposable
{
    /// <summary>The size of the prelude: total length, headers length, prelude CRC.</summary>
    public const int PreludeLength = 12;

    /// <summary>The largest message accepted (botocore's payload limit).</summary>
    public const int MaxMessageLength = 24 * 1024 * 1024;

    /// <summary>The largest header block accepted.</summary>
    public const int MaxHeadersLength = 128 * 1024;

    private byte[]? _carry;
    private int _carryLength;
    private int _carryTotal;
    private bool _faulted;

    /// <summary>Receives each whole, verified message.</summary>
    public delegate void MessageCallback<TState>(ref TState state, in EventStreamMessage message);

    /// <summary>True when part of a message is waiting for more bytes.</summary>
    public bool HasPartialMessage => _carryLength > 0;

    /// <summary>Feeds one chunk; calls <paramref name="onMessage"/> for every message it completes.</summary>
    /// <exception cref="EventStreamException">The stream is corrupt; the decoder accepts nothing more.</exception>
    public void Feed<TState>(ReadOnlySpan<byte> chunk, ref TState state, MessageCallback<TState> onMessage)
    {
        ArgumentNullException.ThrowIfNull(onMessage);
        if (_faulted)
        {
            throw new EventStreamException("The event stream was already found corrupt.");
        }

        try
        {
            while (!chunk.IsEmpty)
            {
                if (_carryLength > 0)
                {
                    chunk = chunk[ContinueCarried(chunk, ref state, onMessage)..];
                    continue;
                }

                if (chunk.Length < PreludeLength)
                {
                    Carry(chunk, 0);
                    return;
                }

                var total = ReadPrelude(chunk);
                if (chunk.Length < total)
                {
                    Carry(chunk, total);
                    return;
                }

                Deliver(chunk[..total], ref state, onMessage);
                chunk = chunk[total..];
            }
        }
        catch (EventStreamException)
        {
            _faulted = true;
            _carryLength = 0;
            throw;
        }
    }

    /// <summary>Writes one message: prelude, headers, payload and both CRCs.</summary>
    public static void Encode(IBufferWriter<byte> output, ReadOnlySpan<EventStreamHeader> headers, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(output);
        var headersLength = 0;
        foreach (var header in headers)
        {
            headersLength += HeaderLength(header);
        }

        var total = PreludeLength + headersLength + payload.Length + 4;
        var span = output.GetSpan(total)[..total];
        BinaryPrimitives.WriteInt32BigEndian(span, total);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], headersLength);
        BinaryPrimitives.WriteUInt32BigEndian(span[8..], Crc32.HashToUInt32(span[..8]));
        var offset = PreludeLength;
        foreach (var header in headers)
        {
            offset += WriteHeader(span[offset..], header);
        }

        payload.CopyTo(span[offset..]);
        offset += payload.Length;
        BinaryPrimitives.WriteUInt32BigEndian(span[offset..], Crc32.HashToUInt32(span[..offset]));
        output.Advance(total);
    }

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

    private static int ReadPrelude(ReadOnlySpan<byte> prelude)
    {
        var total = BinaryPrimitives.ReadUInt32BigEndian(prelude);
        var headers = BinaryPrimitives.ReadUInt32BigEndian(prelude[4..]);
        var crc = BinaryPrimitives.ReadUInt32BigEndian(prelude[8..]);
        if (Crc32.HashToUInt32(prelude[..8]) != crc)
        {
            throw new EventStreamException("An event-stream prelude failed its CRC check.");
        }

        if (total < PreludeLength + 4 || total > MaxMessageLength)
        {
            throw new EventStreamException($"An event-stream message claims {total} bytes; the limits are {PreludeLength + 4}..{MaxMessageLength}.");
        }

        if (headers > total - PreludeLength - 4 || headers > MaxHeadersLength)
        {
            throw new EventStreamException($"An event-stream message claims {headers} header bytes in a {total}-byte message.");
        }

        return (int)total;
    }

    private static void Deliver<TState>(ReadOnlySpan<byte> message, ref TState state, MessageCallback<TState> onMessage)
    {
        var crc = BinaryPrimitives.ReadUInt32BigEndian(message[^4..]);
        if (Crc32.HashToUInt32(message[..^4]) != crc)
        {
            throw new EventStreamException("An event-stream message failed its CRC check.");
        }

        var headersLength = (int)BinaryPrimitives.ReadUInt32BigEndian(message[4..]);
        var headers = message.Slice(PreludeLength, headersLength);
        var reader = new EventStreamHeaderReader(headers);
        while (reader.Next())
        {
            // Walk once so a malformed block is found before anyone reads it.
        }

        var decoded = new EventStreamMessage(headers, message[(PreludeLength + headersLength)..^4]);
        onMessage(ref state, in decoded);
    }

    private int ContinueCarried<TState>(ReadOnlySpan<byte> chunk, ref TState state, MessageCallback<TState> onMessage)
    {
        var consumed = 0;
        if (_carryTotal == 0)
        {
            consumed = Math.Min(PreludeLength - _carryLength, chunk.Length);
            Append(chunk[..consumed]);
            if (_carryLength < PreludeLength)
            {
                return consumed;
            }

            _carryTotal = ReadPrelude(_carry.AsSpan(0, PreludeLength));
        }

        var needed = Math.Min(_carryTotal - _carryLength, chunk.Length - consumed);
        Append(chunk.Slice(consumed, needed));
        consumed += needed;
        if (_carryLength == _carryTotal)
        {
            var length = _carryLength;
            _carryLength = 0;
            _carryTotal = 0;
            Deliver(_carry.AsSpan(0, length), ref state, onMessage);
        }

        return consumed;
    }

    private void Carry(ReadOnlySpan<byte> partial, int total)
    {
        _carryTotal = total;
        Append(partial);
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        var needed = _carryLength + bytes.Length;
        if (_carry is null || _carry.Length < Math.Max(needed, _carryTotal))
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(Math.Max(needed, _carryTotal), 256));
            if (_carry is not null)
            {
                _carry.AsSpan(0, _carryLength).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_carry);
            }

            _carry = bigger;
        }

        bytes.CopyTo(_carry.AsSpan(_carryLength));
        _carryLength = needed;
    }

    private static int HeaderLength(EventStreamHeader header)
    {
        var name = System.Text.Encoding.UTF8.GetByteCount(header.Name);
        var prefix = header.Type is EventStreamHeaderType.Text or EventStreamHeaderType.ByteArray ? 2 : 0;
        return 1 + name + 1 + prefix + header.Value.Length;
    }

    private static int WriteHeader(Span<byte> span, EventStreamHeader header)
    {
        var name = System.Text.Encoding.UTF8.GetBytes(header.Name, span[1..]);
        if (name is 0 or > byte.MaxValue)
        {
            throw new ArgumentException($"Header name '{header.Name}' must be 1..255 bytes.", nameof(header));
        }

        span[0] = (byte)name;
        var offset = 1 + name;
        span[offset++] = (byte)header.Type;
        if (header.Type is EventStreamHeaderType.Text or EventStreamHeaderType.ByteArray)
        {
            if (header.Value.Length > ushort.MaxValue)
            {
                throw new ArgumentException($"Header '{header.Name}' is longer than {ushort.MaxValue} bytes.", nameof(header));
            }

            BinaryPrimitives.WriteUInt16BigEndian(span[offset..], (ushort)header.Value.Length);
            offset += 2;
        }

        header.Value.Span.CopyTo(span[offset..]);
        return offset + header.Value.Length;
    }
}
