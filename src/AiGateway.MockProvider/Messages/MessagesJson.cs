using System.Text.Json;
using AiGateway.MockProvider.Chat;
using AiGateway.MockProvider.Json;

namespace AiGateway.MockProvider.Messages;

/// <summary>Writes Anthropic <c>message</c> bodies and Messages SSE streams (<c>event:</c> + <c>data:</c>) in Anthropic's shape.</summary>
internal static class MessagesJson
{
    /// <summary>Characters per streamed <c>input_json_delta</c> fragment.</summary>
    public const int InputFragmentChars = ChatCompletionJson.ArgumentFragmentChars;

    /// <summary><c>usage.output_tokens</c> in <c>message_start</c>, like Anthropic's small initial count.</summary>
    public const int StartOutputTokens = 1;

    public static byte[] Message(string id, string model, MessagesReply reply) =>
        JsonBodies.Serialize((id, model, reply), static (w, s) =>
        {
            w.WriteStartObject();
            WriteMessageHeader(w, s.id, s.model);
            w.WriteStartArray("content"u8);
            w.WriteStartObject();
            w.WriteString("type"u8, "text");
            w.WriteString("text"u8, s.reply.Text);
            w.WriteEndObject();
            if (s.reply.ToolUse is { } toolUse)
            {
                w.WriteStartObject();
                w.WriteString("type"u8, "tool_use");
                w.WriteString("id"u8, toolUse.Id);
                w.WriteString("name"u8, toolUse.Name);
                w.WritePropertyName("input"u8);
                w.WriteRawValue(toolUse.Input, skipInputValidation: true);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("stop_reason"u8, s.reply.StopReason);
            WriteNullable(w, "stop_sequence"u8, s.reply.StopSequence);
            WriteUsage(w, s.reply.InputTokens, s.reply.OutputTokens);
            w.WriteEndObject();
        });

    /// <summary>
    /// Every SSE event of the stream, in order: <c>message_start</c>, <c>content_block_start</c> (text), <c>ping</c>,
    /// one <c>content_block_delta</c> (<c>text_delta</c>) per word, <c>content_block_stop</c>; for a tool use
    /// <c>content_block_start</c> (tool_use, <c>input:{}</c>), <c>input_json_delta</c> fragments, <c>content_block_stop</c>;
    /// then <c>message_delta</c> and <c>message_stop</c>. No <c>[DONE]</c>.
    /// </summary>
    public static IReadOnlyList<byte[]> StreamEvents(string id, string model, MessagesReply reply)
    {
        var events = new List<byte[]>
        {
            JsonBodies.NamedSseEvent("message_start", (id, model, reply.InputTokens), static (w, s) =>
            {
                w.WriteStartObject();
                w.WriteString("type"u8, "message_start");
                w.WriteStartObject("message"u8);
                WriteMessageHeader(w, s.id, s.model);
                w.WriteStartArray("content"u8);
                w.WriteEndArray();
                w.WriteNull("stop_reason"u8);
                w.WriteNull("stop_sequence"u8);
                WriteUsage(w, s.InputTokens, StartOutputTokens);
                w.WriteEndObject();
                w.WriteEndObject();
            }),
            BlockStart(0, reply, static (w, _) =>
            {
                w.WriteString("type"u8, "text");
                w.WriteString("text"u8, string.Empty);
            }),
            JsonBodies.NamedSseEvent("ping", 0, static (w, _) =>
            {
                w.WriteStartObject();
                w.WriteString("type"u8, "ping");
                w.WriteEndObject();
            }),
        };
        foreach (var piece in ChatText.SplitWords(reply.Text))
        {
            events.Add(BlockDelta(0, piece, static (w, p) =>
            {
                w.WriteString("type"u8, "text_delta");
                w.WriteString("text"u8, p);
            }));
        }

        events.Add(BlockStop(0));
        if (reply.ToolUse is { } toolUse)
        {
            events.Add(BlockStart(1, toolUse, static (w, t) =>
            {
                w.WriteString("type"u8, "tool_use");
                w.WriteString("id"u8, t.Id);
                w.WriteString("name"u8, t.Name);
                w.WriteStartObject("input"u8);
                w.WriteEndObject();
            }));
            foreach (var fragment in ChatText.SplitFixed(toolUse.Input, InputFragmentChars))
            {
                events.Add(BlockDelta(1, fragment, static (w, f) =>
                {
                    w.WriteString("type"u8, "input_json_delta");
                    w.WriteString("partial_json"u8, f);
                }));
            }

            events.Add(BlockStop(1));
        }

        events.Add(JsonBodies.NamedSseEvent("message_delta", reply, static (w, r) =>
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "message_delta");
            w.WriteStartObject("delta"u8);
            w.WriteString("stop_reason"u8, r.StopReason);
            WriteNullable(w, "stop_sequence"u8, r.StopSequence);
            w.WriteEndObject();
            w.WriteStartObject("usage"u8);
            w.WriteNumber("output_tokens"u8, r.OutputTokens);
            w.WriteEndObject();
            w.WriteEndObject();
        }));
        events.Add(JsonBodies.NamedSseEvent("message_stop", 0, static (w, _) =>
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "message_stop");
            w.WriteEndObject();
        }));
        return events;
    }

    /// <summary>The mid-stream <c>event: error</c> (overloaded_error "Overloaded" unless <paramref name="message"/> is set).</summary>
    public static byte[] StreamError(string? message) =>
        JsonBodies.NamedSseEvent("error", AnthropicError.StreamOverloaded(message), static (w, e) => e.WriteTo(w, requestId: null));

    private static byte[] BlockStart<T>(int index, T state, Action<Utf8JsonWriter, T> writeBlock) =>
        JsonBodies.NamedSseEvent("content_block_start", (index, state, writeBlock), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "content_block_start");
            w.WriteNumber("index"u8, s.index);
            w.WriteStartObject("content_block"u8);
            s.writeBlock(w, s.state);
            w.WriteEndObject();
            w.WriteEndObject();
        });

    private static byte[] BlockDelta<T>(int index, T state, Action<Utf8JsonWriter, T> writeDelta) =>
        JsonBodies.NamedSseEvent("content_block_delta", (index, state, writeDelta), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "content_block_delta");
            w.WriteNumber("index"u8, s.index);
            w.WriteStartObject("delta"u8);
            s.writeDelta(w, s.state);
            w.WriteEndObject();
            w.WriteEndObject();
        });

    private static byte[] BlockStop(int index) =>
        JsonBodies.NamedSseEvent("content_block_stop", index, static (w, i) =>
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "content_block_stop");
            w.WriteNumber("index"u8, i);
            w.WriteEndObject();
        });

    private static void WriteMessageHeader(Utf8JsonWriter w, string id, string model)
    {
        w.WriteString("id"u8, id);
        w.WriteString("type"u8, "message");
        w.WriteString("role"u8, "assistant");
        w.WriteString("model"u8, model);
    }

    private static void WriteUsage(Utf8JsonWriter w, int inputTokens, int outputTokens)
    {
        w.WriteStartObject("usage"u8);
        w.WriteNumber("input_tokens"u8, inputTokens);
        w.WriteNumber("output_tokens"u8, outputTokens);
        w.WriteNumber("cache_creation_input_tokens"u8, 0);
        w.WriteNumber("cache_read_input_tokens"u8, 0);
        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}
