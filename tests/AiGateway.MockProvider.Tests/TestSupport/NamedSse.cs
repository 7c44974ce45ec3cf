using System.Text;
using System.Text.Json;

namespace AiGateway.MockProvider.Tests.TestSupport;

/// <summary>One Anthropic SSE event: its <c>event:</c> name and parsed <c>data:</c> JSON.</summary>
internal sealed record NamedSseEvent(string Name, string Data)
{
    public JsonElement Json => RequestJson.Parse(Data);

    /// <summary>The <c>data</c> object's <c>type</c>, which Anthropic always sets equal to the event name.</summary>
    public string? Type => Json.GetProperty("type").GetString();
}

/// <summary>Reads Anthropic SSE bodies (<c>event: &lt;name&gt;\ndata: &lt;json&gt;\n\n</c>), checking the framing of each event.</summary>
internal sealed class NamedSse : IDisposable
{
    private readonly StreamReader _reader;

    private NamedSse(Stream stream) => _reader = new StreamReader(stream, Encoding.UTF8);

    public static async Task<NamedSse> OpenAsync(HttpResponseMessage response, CancellationToken ct) =>
        new(await response.Content.ReadAsStreamAsync(ct));

    /// <summary>The next event, or null at the end of the body.</summary>
    public async Task<NamedSseEvent?> ReadEventAsync(CancellationToken ct)
    {
        var eventLine = await _reader.ReadLineAsync(ct);
        if (eventLine is null)
        {
            return null;
        }

        Assert.StartsWith("event: ", eventLine);
        var dataLine = await _reader.ReadLineAsync(ct);
        Assert.NotNull(dataLine);
        Assert.StartsWith("data: ", dataLine);
        Assert.Equal(string.Empty, await _reader.ReadLineAsync(ct));
        return new NamedSseEvent(eventLine["event: ".Length..], dataLine["data: ".Length..]);
    }

    /// <summary>Splits a whole body into events, asserting the exact framing (and no <c>[DONE]</c>).</summary>
    public static List<NamedSseEvent> Split(string body)
    {
        Assert.EndsWith("\n\n", body);
        Assert.DoesNotContain("[DONE]", body);
        var events = new List<NamedSseEvent>();
        foreach (var block in body[..^2].Split("\n\n"))
        {
            var lines = block.Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0]);
            Assert.StartsWith("data: ", lines[1]);
            var e = new NamedSseEvent(lines[0]["event: ".Length..], lines[1]["data: ".Length..]);
            Assert.Equal(e.Name, e.Type);
            events.Add(e);
        }

        return events;
    }

    public void Dispose() => _reader.Dispose();
}
