using System.Text;

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
}
