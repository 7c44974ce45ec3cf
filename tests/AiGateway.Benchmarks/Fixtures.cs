using System.Buffers;
using System.Text;
using System.Text.Json;
using AiGateway.Core.Streaming.EventStream;

namespace AiGateway.Benchmarks;

/// <summary>Loads the benchmark inputs from <c>Fixtures/</c> next to the assembly.</summary>
internal static class BenchmarkFixtures
{
    public static byte[] Bytes(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
        return File.ReadAllBytes(path);
    }

    /// <summary>Cuts an SSE stream into one chunk per event (terminator included), as a network read might deliver it.</summary>
    public static byte[][] EventChunks(string name)
    {
        var text = Encoding.UTF8.GetString(Bytes(name)).Replace("\r\n", "\n", StringComparison.Ordinal);
        var chunks = new List<byte[]>();
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf("\n\n", start, StringComparison.Ordinal);
            end = end < 0 ? text.Length : end + 2;
            chunks.Add(Encoding.UTF8.GetBytes(text[start..end]));
            start = end;
        }

        return [.. chunks];
    }

    /// <summary>
    /// Encodes an event-stream fixture (one JSON line per frame: <c>{"headers":{...},"payload":{...}}</c>) into
    /// binary frames, one frame per chunk.
    /// </summary>
    public static byte[][] EventStreamFrames(string name)
    {
        var frames = new List<byte[]>();
        foreach (var line in Encoding.UTF8.GetString(Bytes(name)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            using var frame = JsonDocument.Parse(line);
            var headers = frame.RootElement.GetProperty("headers").EnumerateObject().Select(h => EventStreamHeader.Text(h.Name, h.Value.GetString()!)).ToArray();
            var output = new ArrayBufferWriter<byte>();
            EventStreamDecoder.Encode(output, headers, Encoding.UTF8.GetBytes(frame.RootElement.GetProperty("payload").GetRawText()));
            frames.Add(output.WrittenSpan.ToArray());
        }

        return [.. frames];
    }
}
