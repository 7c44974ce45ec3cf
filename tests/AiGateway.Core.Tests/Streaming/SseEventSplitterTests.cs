using System.Text;
using AiGateway.Core.Streaming;

namespace AiGateway.Core.Tests.Streaming;

public sealed class SseEventSplitterTests
{
    private const string Stream = "event: message_start\ndata: {\"a\":1}\n\ndata: line1\ndata: line2\n\r\ndata: [DONE]\n\n";

    [Fact]
    public void Yields_each_event_once_with_its_data_at_every_split_offset()
    {
        var bytes = Encoding.UTF8.GetBytes(Stream);
        for (var split = 0; split <= bytes.Length; split++)
        {
            using var splitter = new SseEventSplitter();
            var events = new List<(string Raw, string Data)>();

            splitter.Feed(bytes.AsSpan(0, split), ref events, Collect);
            splitter.Feed(bytes.AsSpan(split), ref events, Collect);

            Assert.Equal(
                [("event: message_start\ndata: {\"a\":1}\n\n", "{\"a\":1}"), ("data: line1\ndata: line2\n\r\n", "line1\nline2"), ("data: [DONE]\n\n", "[DONE]")],
                events);
            Assert.False(splitter.HasPartialEvent);
        }
    }

    [Theory]
    [InlineData("data:\ndata: x\n\n", "\nx")]
    [InlineData("data: a\r\ndata:b\r\n\r\n", "a\nb")]
    [InlineData("event: ping\n\n", "")]
    [InlineData(": comment\ndata: {}\n\n", "{}")]
    public void Joins_data_lines_as_the_sse_rules_say(string stream, string expected)
    {
        using var splitter = new SseEventSplitter();
        var events = new List<(string Raw, string Data)>();

        splitter.Feed(Encoding.UTF8.GetBytes(stream), ref events, Collect);

        Assert.Equal(expected, Assert.Single(events).Data);
    }

    [Fact]
    public void Holds_back_an_unterminated_event()
    {
        using var splitter = new SseEventSplitter();
        var events = new List<(string Raw, string Data)>();

        splitter.Feed("data: {\"partial\""u8, ref events, Collect);

        Assert.Empty(events);
        Assert.True(splitter.HasPartialEvent);
        Assert.Equal("data: {\"partial\"", Encoding.UTF8.GetString(splitter.PartialEvent));
    }

    private static void Collect(ref List<(string Raw, string Data)> events, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> data) =>
        events.Add((Encoding.UTF8.GetString(raw), Encoding.UTF8.GetString(data)));
}
