using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using AiGateway.Core.Streaming.EventStream;

namespace AiGateway.Core.Tests.Streaming.EventStream;

public sealed class EventStreamDecoderTests
{
    private static readonly EventStreamHeader[] MessageStartHeaders =
    [
        EventStreamHeader.Text(":event-type", "messageStart"),
        EventStreamHeader.Text(":content-type", "application/json"),
        EventStreamHeader.Text(":message-type", "event"),
    ];

    [Fact]
    public void Encodes_the_prelude_of_a_real_bedrock_frame()
    {
        // First frame of a ConverseStream capture quoted in provider-apis.md §4.6.
        var output = new ArrayBufferWriter<byte>();

        EventStreamDecoder.Encode(output, MessageStartHeaders, """{"p":"abcdefghijklmnopqrstuvwxyzABCD","role":"assistant"}"""u8);

        Assert.Equal(Convert.FromHexString("0000009b0000005246" + "91f9b0"), output.WrittenSpan[..12].ToArray());
        Assert.Equal(155, output.WrittenCount);
    }

    [Fact]
    public void Encodes_and_decodes_every_header_type_of_the_published_all_headers_message()
    {
        // aws/aws-sdk-go private/protocol/eventstream/testdata/decoded/positive/all_headers:
        // total 204, headers 175, prelude CRC 263087306.
        EventStreamHeader[] headers =
        [
            EventStreamHeader.Number32("event-type", 40972),
            EventStreamHeader.Text("content-type", "application/json"),
            EventStreamHeader.Bool("bool false", false),
            EventStreamHeader.Bool("bool true", true),
            EventStreamHeader.Byte("byte", 207),
            EventStreamHeader.Bytes("byte buf", "I'm a little teapot!"u8.ToArray()),
            new("timestamp", EventStreamHeaderType.Timestamp, Convert.FromHexString("0000000000845FED")),
            EventStreamHeader.Number16("int16", 42),
            EventStreamHeader.Number64("int64", 42424242),
            new("uuid", EventStreamHeaderType.Uuid, Convert.FromHexString("000102030405060708090A0B0C0D0E0F")),
        ];
        var output = new ArrayBufferWriter<byte>();

        EventStreamDecoder.Encode(output, headers, "{'foo':'bar'}"u8);
        var decoded = DecodeAll([output.WrittenSpan.ToArray()]);

        Assert.Equal(204, BinaryPrimitives.ReadInt32BigEndian(output.WrittenSpan));
        Assert.Equal(175, BinaryPrimitives.ReadInt32BigEndian(output.WrittenSpan[4..]));
        Assert.Equal(263087306u, BinaryPrimitives.ReadUInt32BigEndian(output.WrittenSpan[8..]));
        var message = Assert.Single(decoded);
        Assert.Equal("{'foo':'bar'}", message.Payload);
        Assert.Equal(headers.Select(h => (h.Name, h.Type, Convert.ToHexString(h.Value.Span))), message.Headers.Select(h => (h.Name, h.Type, Convert.ToHexString(h.Value.Span))));
        Assert.Equal("application/json", message.Headers[1].StringValue);
    }

    [Fact]
    public void Decodes_messages_split_at_every_byte_offset()
    {
        var stream = ThreeMessages();
        var expected = DecodeAll([stream]);

        for (var split = 0; split <= stream.Length; split++)
        {
            var decoded = DecodeAll([stream[..split], stream[split..]]);

            Assert.Equal(expected.Select(m => m.Describe()), decoded.Select(m => m.Describe()));
        }

        Assert.Equal(["event/messageStart/{\"role\":\"assistant\"}", "event/contentBlockDelta/{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hé\"}}", "exception/throttlingException/{\"message\":\"slow down\"}"], expected.Select(m => m.Describe()));
    }

    [Fact]
    public void Decodes_messages_fed_one_byte_at_a_time()
    {
        var stream = ThreeMessages();

        var decoded = DecodeAll(stream.Select(b => new[] { b }).ToArray());

        Assert.Equal(3, decoded.Count);
        Assert.Equal("{\"message\":\"slow down\"}", decoded[2].Payload);
    }

    [Fact]
    public void Rejects_a_message_whose_crc_does_not_match()
    {
        var stream = ThreeMessages();
        stream[20] ^= 0x01;

        var error = Assert.Throws<EventStreamException>(() => DecodeAll([stream]));

        Assert.Contains("message failed its CRC", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_prelude_whose_crc_does_not_match_before_buffering_the_message()
    {
        var stream = ThreeMessages();
        stream[3] ^= 0x01;
        using var decoder = new EventStreamDecoder();
        var count = 0;

        var error = Assert.Throws<EventStreamException>(() => decoder.Feed(stream.AsSpan(0, 12), ref count, static (ref int c, in EventStreamMessage _) => c++));

        Assert.Contains("prelude failed its CRC", error.Message, StringComparison.Ordinal);
        Assert.False(decoder.HasPartialMessage);
    }

    [Theory]
    [InlineData(15, 0)]
    [InlineData(100, 90)]
    [InlineData(EventStreamDecoder.MaxMessageLength + 1, 0)]
    public void Rejects_impossible_lengths_in_the_prelude(int total, int headers)
    {
        var prelude = new byte[12];
        BinaryPrimitives.WriteInt32BigEndian(prelude, total);
        BinaryPrimitives.WriteInt32BigEndian(prelude.AsSpan(4), headers);
        BinaryPrimitives.WriteUInt32BigEndian(prelude.AsSpan(8), Crc32.HashToUInt32(prelude.AsSpan(0, 8)));

        Assert.Throws<EventStreamException>(() => DecodeAll([prelude]));
    }

    [Fact]
    public void Rejects_an_unknown_header_type_and_everything_after_it()
    {
        var output = new ArrayBufferWriter<byte>();
        EventStreamDecoder.Encode(output, [new EventStreamHeader("x", (EventStreamHeaderType)12, ReadOnlyMemory<byte>.Empty)], "{}"u8);
        using var decoder = new EventStreamDecoder();
        var count = 0;

        Assert.Throws<EventStreamException>(() => decoder.Feed(output.WrittenSpan, ref count, static (ref int c, in EventStreamMessage _) => c++));
        Assert.Throws<EventStreamException>(() => decoder.Feed(ThreeMessages(), ref count, static (ref int c, in EventStreamMessage _) => c++));
        Assert.Equal(0, count);
    }

    private static byte[] ThreeMessages()
    {
        var output = new ArrayBufferWriter<byte>();
        EventStreamDecoder.Encode(output, MessageStartHeaders, """{"role":"assistant"}"""u8);
        EventStreamDecoder.Encode(
            output,
            [EventStreamHeader.Text(":event-type", "contentBlockDelta"), EventStreamHeader.Text(":content-type", "application/json"), EventStreamHeader.Text(":message-type", "event")],
            Encoding.UTF8.GetBytes("""{"contentBlockIndex":0,"delta":{"text":"Hé"}}"""));
        EventStreamDecoder.Encode(
            output,
            [EventStreamHeader.Text(":exception-type", "throttlingException"), EventStreamHeader.Text(":content-type", "application/json"), EventStreamHeader.Text(":message-type", "exception")],
            """{"message":"slow down"}"""u8);
        return output.WrittenSpan.ToArray();
    }

    private static List<Decoded> DecodeAll(byte[][] chunks)
    {
        using var decoder = new EventStreamDecoder();
        var decoded = new List<Decoded>();
        foreach (var chunk in chunks)
        {
            decoder.Feed(chunk, ref decoded, static (ref List<Decoded> list, in EventStreamMessage message) =>
                list.Add(new Decoded(message.MessageType, message.EventType ?? message.ExceptionType, message.ReadHeaders(), Encoding.UTF8.GetString(message.Payload))));
        }

        Assert.False(decoder.HasPartialMessage);
        return decoded;
    }

    private sealed record Decoded(string? MessageType, string? Type, List<EventStreamHeader> Headers, string Payload)
    {
        public string Describe() => $"{MessageType}/{Type}/{Payload}";
    }
}
