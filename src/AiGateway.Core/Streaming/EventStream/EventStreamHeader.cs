using System.Buffers.Binary;
using System.Text;

namespace AiGateway.Core.Streaming.EventStream;

/// <summary>One event-stream header: name, type and the value's bytes (without a length prefix).</summary>
/// <param name="Name">Header name, e.g. <c>:event-type</c>.</param>
/// <param name="Type">Value type.</param>
/// <param name="Value">Value bytes as on the wire, minus the 2-byte length of byte arrays and strings.</param>
public readonly record struct EventStreamHeader(string Name, EventStreamHeaderType Type, ReadOnlyMemory<byte> Value)
{
    /// <summary>A string header.</summary>
    public static EventStreamHeader Text(string name, string value) => new(name, EventStreamHeaderType.Text, Encoding.UTF8.GetBytes(value));

    /// <summary>A boolean header.</summary>
    public static EventStreamHeader Bool(string name, bool value) => new(name, value ? EventStreamHeaderType.BoolTrue : EventStreamHeaderType.BoolFalse, ReadOnlyMemory<byte>.Empty);

    /// <summary>A one-byte header.</summary>
    public static EventStreamHeader Byte(string name, byte value) => new(name, EventStreamHeaderType.Byte, new[] { value });

    /// <summary>A 16-bit integer header.</summary>
    public static EventStreamHeader Number16(string name, short value) => Fixed(name, EventStreamHeaderType.Number16, 2, b => BinaryPrimitives.WriteInt16BigEndian(b, value));

    /// <summary>A 32-bit integer header.</summary>
    public static EventStreamHeader Number32(string name, int value) => Fixed(name, EventStreamHeaderType.Number32, 4, b => BinaryPrimitives.WriteInt32BigEndian(b, value));

    /// <summary>A 64-bit integer header.</summary>
    public static EventStreamHeader Number64(string name, long value) => Fixed(name, EventStreamHeaderType.Number64, 8, b => BinaryPrimitives.WriteInt64BigEndian(b, value));

    /// <summary>A byte-array header.</summary>
    public static EventStreamHeader Bytes(string name, byte[] value) => new(name, EventStreamHeaderType.ByteArray, value);

    /// <summary>A timestamp header.</summary>
    public static EventStreamHeader Timestamp(string name, DateTimeOffset value) =>
        Fixed(name, EventStreamHeaderType.Timestamp, 8, b => BinaryPrimitives.WriteInt64BigEndian(b, value.ToUnixTimeMilliseconds()));

    /// <summary>A UUID header.</summary>
    public static EventStreamHeader Uuid(string name, Guid value) => new(name, EventStreamHeaderType.Uuid, value.ToByteArray(bigEndian: true));

    /// <summary>The value as a string, for string headers; null otherwise.</summary>
    public string? StringValue => Type == EventStreamHeaderType.Text ? Encoding.UTF8.GetString(Value.Span) : null;

    private static EventStreamHeader Fixed(string name, EventStreamHeaderType type, int size, Action<byte[]> write)
    {
        var bytes = new byte[size];
        write(bytes);
        return new EventStreamHeader(name, type, bytes);
    }
}
