using System.Buffers.Binary;
using System.Text;

namespace AiGateway.Core.Streaming.EventStream;

/// <summary>
/// One decoded event-stream message, valid only during the callback that receives it: its header bytes
/// (already checked to be well formed) and its payload.
/// </summary>
public readonly ref struct EventStreamMessage
{
    /// <summary>Wraps a message's header block and payload.</summary>
    public EventStreamMessage(ReadOnlySpan<byte> headerBytes, ReadOnlySpan<byte> payload)
    {
        HeaderBytes = headerBytes;
        Payload = payload;
    }

    /// <summary>The raw header block.</summary>
    public ReadOnlySpan<byte> HeaderBytes { get; }

    /// <summary>The payload (JSON for Bedrock).</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary><c>:message-type</c>: <c>event</c>, <c>exception</c> or <c>error</c>.</summary>
    public string? MessageType => GetString(":message-type"u8);

    /// <summary><c>:event-type</c>, e.g. <c>contentBlockDelta</c>.</summary>
    public string? EventType => GetString(":event-type"u8);

    /// <summary><c>:exception-type</c>, e.g. <c>throttlingException</c>.</summary>
    public string? ExceptionType => GetString(":exception-type"u8);

    /// <summary>The value of a string header, or null when absent or not a string.</summary>
    public string? GetString(ReadOnlySpan<byte> name)
    {
        var value = GetStringBytes(name, out var found);
        return found ? Known(value) ?? Encoding.UTF8.GetString(value) : null;
    }

    /// <summary>The UTF-8 bytes of a string header; <paramref name="found"/> tells whether it exists.</summary>
    public ReadOnlySpan<byte> GetStringBytes(ReadOnlySpan<byte> name, out bool found)
    {
        var reader = new EventStreamHeaderReader(HeaderBytes);
        while (reader.Next())
        {
            if (reader.Type == EventStreamHeaderType.Text && reader.Name.SequenceEqual(name))
            {
                found = true;
                return reader.Value;
            }
        }

        found = false;
        return default;
    }

    /// <summary>Every header, copied (for tests and diagnostics).</summary>
    public List<EventStreamHeader> ReadHeaders()
    {
        var headers = new List<EventStreamHeader>();
        var reader = new EventStreamHeaderReader(HeaderBytes);
        while (reader.Next())
        {
            headers.Add(new EventStreamHeader(Encoding.UTF8.GetString(reader.Name), reader.Type, reader.Value.ToArray()));
        }

        return headers;
    }

    // The values Bedrock sends on every frame come back as constants, without allocating.
    private static string? Known(ReadOnlySpan<byte> value) => value switch
    {
        _ when value.SequenceEqual("event"u8) => "event",
        _ when value.SequenceEqual("exception"u8) => "exception",
        _ when value.SequenceEqual("error"u8) => "error",
        _ when value.SequenceEqual("application/json"u8) => "application/json",
        _ when value.SequenceEqual("messageStart"u8) => "messageStart",
        _ when value.SequenceEqual("contentBlockStart"u8) => "contentBlockStart",
        _ when value.SequenceEqual("contentBlockDelta"u8) => "contentBlockDelta",
        _ when value.SequenceEqual("contentBlockStop"u8) => "contentBlockStop",
        _ when value.SequenceEqual("messageStop"u8) => "messageStop",
        _ when value.SequenceEqual("metadata"u8) => "metadata",
        _ => null,
    };
}

/// <summary>Walks a header block: name length (1), name, type (1), value.</summary>
internal ref struct EventStreamHeaderReader(ReadOnlySpan<byte> headers)
{
    private readonly ReadOnlySpan<byte> _headers = headers;
    private int _offset;

    public ReadOnlySpan<byte> Name { get; private set; }

    public EventStreamHeaderType Type { get; private set; }

    public ReadOnlySpan<byte> Value { get; private set; }

    /// <summary>Moves to the next header; false at the end.</summary>
    /// <exception cref="EventStreamException">The block is malformed.</exception>
    public bool Next()
    {
        if (_offset >= _headers.Length)
        {
            return false;
        }

        var rest = _headers[_offset..];
        var nameLength = rest[0];
        if (nameLength == 0 || rest.Length < 1 + nameLength + 1)
        {
            throw new EventStreamException("An event-stream header is truncated.");
        }

        Name = rest.Slice(1, nameLength);
        Type = (EventStreamHeaderType)rest[1 + nameLength];
        var valueStart = 2 + nameLength;
        var valueLength = Type switch
        {
            EventStreamHeaderType.BoolTrue or EventStreamHeaderType.BoolFalse => 0,
            EventStreamHeaderType.Byte => 1,
            EventStreamHeaderType.Number16 => 2,
            EventStreamHeaderType.Number32 => 4,
            EventStreamHeaderType.Number64 or EventStreamHeaderType.Timestamp => 8,
            EventStreamHeaderType.Uuid => 16,
            EventStreamHeaderType.ByteArray or EventStreamHeaderType.Text => -1,
            _ => throw new EventStreamException($"Unknown event-stream header type {(byte)Type}."),
        };
        if (valueLength < 0)
        {
            if (rest.Length < valueStart + 2)
            {
                throw new EventStreamException("An event-stream header is truncated.");
            }

            valueLength = BinaryPrimitives.ReadUInt16BigEndian(rest[valueStart..]);
            valueStart += 2;
        }

        if (rest.Length < valueStart + valueLength)
        {
            throw new EventStreamException("An event-stream header is truncated.");
        }

        Value = rest.Slice(valueStart, valueLength);
        _offset += valueStart + valueLength;
        return true;
    }
}
