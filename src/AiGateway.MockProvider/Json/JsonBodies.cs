using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AiGateway.MockProvider.Json;

/// <summary>Writes response JSON with <see cref="Utf8JsonWriter"/> (no reflection, exact field order and nulls).</summary>
internal static class JsonBodies
{
    /// <summary>Relaxed escaping: non-ASCII text is written as-is, like OpenAI does.</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Serializes one JSON document produced by <paramref name="write"/>.</summary>
    public static byte[] Serialize<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer, state);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Serializes one SSE event: <c>data: &lt;json&gt;\n\n</c>.</summary>
    public static byte[] SseEvent<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write("data: "u8);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer, state);
        }

        buffer.Write("\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Serializes one named SSE event: <c>event: &lt;name&gt;\ndata: &lt;json&gt;\n\n</c> (Anthropic's framing).</summary>
    public static byte[] NamedSseEvent<TState>(string name, TState state, Action<Utf8JsonWriter, TState> write)
    {
        ArgumentNullException.ThrowIfNull(name);
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write("event: "u8);
        buffer.Write(System.Text.Encoding.UTF8.GetBytes(name));
        buffer.Write("\ndata: "u8);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer, state);
        }

        buffer.Write("\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The terminating <c>data: [DONE]\n\n</c> event.</summary>
    public static byte[] SseDone() => "data: [DONE]\n\n"u8.ToArray();

    public static byte[] Error(OpenAiError error) => Serialize(error, static (w, e) => e.WriteTo(w));

    public static byte[] Error(AnthropicError error, string requestId) =>
        Serialize((error, requestId), static (w, s) => s.error.WriteTo(w, s.requestId));
}
