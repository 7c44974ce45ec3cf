using System.Text;

namespace AiGateway.MockProvider.Tests.TestSupport;

/// <summary>Reads an SSE body event by event, checking the <c>data: &lt;payload&gt;\n\n</c> framing of each.</summary>
internal sealed class SseStream : IDisposable
{
    private readonly StreamReader _reader;

    private SseStream(Stream stream) => _reader = new StreamReader(stream, Encoding.UTF8);

    public static async Task<SseStream> OpenAsync(HttpResponseMessage response, CancellationToken ct) =>
        new(await response.Content.ReadAsStreamAsync(ct));

    /// <summary>The payload of the next event, or null at the end of the body.</summary>
    public async Task<string?> ReadEventAsync(CancellationToken ct)
    {
        var line = await _reader.ReadLineAsync(ct);
        if (line is null)
        {
            return null;
        }

        Assert.StartsWith("data: ", line);
        var blank = await _reader.ReadLineAsync(ct);
        Assert.Equal(string.Empty, blank);
        return line["data: ".Length..];
    }

    /// <summary>Every remaining event payload.</summary>
    public async Task<List<string>> ReadAllAsync(CancellationToken ct)
    {
        var events = new List<string>();
        while (await ReadEventAsync(ct) is { } payload)
        {
            events.Add(payload);
        }

        return events;
    }

    /// <summary>Splits a whole SSE body into event payloads, asserting the exact framing.</summary>
    public static List<string> Split(string body)
    {
        Assert.EndsWith("\n\n", body);
        var events = body[..^2].Split("\n\n");
        foreach (var e in events)
        {
            Assert.StartsWith("data: ", e);
            Assert.DoesNotContain('\n', e);
        }

        return [.. events.Select(e => e["data: ".Length..])];
    }

    public void Dispose() => _reader.Dispose();
}
