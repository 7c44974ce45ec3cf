namespace AiGateway.Core.Streaming.EventStream;

/// <summary>Value types of AWS event-stream headers (provider-apis.md §4.6).</summary>
public enum EventStreamHeaderType : byte
{
    /// <summary>True; no value bytes.</summary>
    BoolTrue = 0,

    /// <summary>False; no value bytes.</summary>
    BoolFalse = 1,

    /// <summary>One byte.</summary>
    Byte = 2,

    /// <summary>Big-endian 16-bit integer.</summary>
    Number16 = 3,

    /// <summary>Big-endian 32-bit integer.</summary>
    Number32 = 4,

    /// <summary>Big-endian 64-bit integer.</summary>
    Number64 = 5,

    /// <summary>2-byte length, then bytes.</summary>
    ByteArray = 6,

    /// <summary>2-byte length, then UTF-8.</summary>
    Text = 7,

    /// <summary>Big-endian 64-bit milliseconds since the epoch.</summary>
    Timestamp = 8,

    /// <summary>16 bytes.</summary>
    Uuid = 9,
}
