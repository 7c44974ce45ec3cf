using System.Buffers;
using System.Text;
using System.Text.Json;
using AiGateway.Core.Streaming.EventStream;
using AiGateway.MockProvider.Chat;
using AiGateway.MockProvider.Json;

namespace AiGateway.MockProvider.Bedrock;

/// <summary>Converse answers: the JSON body, and the ConverseStream frames (real event-stream framing with both CRCs).</summary>
internal static class ConverseJson
{
    private static readonly EventStreamHeader JsonContent = EventStreamHeader.Text(":content-type", "application/json");
    private static readonly EventStreamHeader EventMessage = EventStreamHeader.Text(":message-type", "event");

    /// <summary><c>{"output":{"message":...},"stopReason","usage","metrics"}</c>.</summary>
    public static byte[] Response(ConverseReply reply) =>
        JsonBodies.Serialize(reply, static (w, r) =>
        {
            w.WriteStartObject();
            w.WriteStartObject("output"u8);
            w.WriteStartObject("message"u8);
            w.WriteString("role"u8, "assistant");
            w.WriteStartArray("content"u8);
            if (r.Text.Length > 0)
            {
                w.WriteStartObject();
                w.WriteString("text"u8, r.Text);
                w.WriteEndObject();
            }

            if (r.ToolName is not null)
            {
                w.WriteStartObject();
                w.WriteStartObject("toolUse"u8);
                w.WriteString("toolUseId"u8, r.ToolUseId);
                w.WriteString("name"u8, r.ToolName);
                w.WritePropertyName("input"u8);
                w.WriteRawValue(r.ToolInput!);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteString("stopReason"u8, r.StopReason);
            WriteUsage(w, r);
            w.WriteStartObject("metrics"u8);
            w.WriteNumber("latencyMs"u8, 42);
            w.WriteEndObject();
            w.WriteEndObject();
        });

    /// <summary>
    /// The ConverseStream frames: <c>messageStart</c>, the text in word-sized deltas, a tool use (start, input
    /// in two deltas, stop) when planned, <c>messageStop</c> and <c>metadata</c> with usage. Every payload
    /// carries AWS's random-length <c>p</c> padding, which clients must ignore.
    /// </summary>
    public static IReadOnlyList<byte[]> StreamFrames(ConverseReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var frames = new List<byte[]>();
        frames.Add(Event("messageStart", frames.Count, static w => w.WriteString("role"u8, "assistant")));
        var block = 0;
        if (reply.Text.Length > 0)
        {
            foreach (var piece in ChatText.SplitWords(reply.Text))
            {
                frames.Add(Event("contentBlockDelta", frames.Count, w =>
                {
                    w.WriteNumber("contentBlockIndex"u8, 0);
                    w.WriteStartObject("delta"u8);
                    w.WriteString("text"u8, piece);
                    w.WriteEndObject();
                }));
            }

            frames.Add(Event("contentBlockStop", frames.Count, static w => w.WriteNumber("contentBlockIndex"u8, 0)));
            block++;
        }

        if (reply.ToolName is not null)
        {
            var index = block;
            frames.Add(Event("contentBlockStart", frames.Count, w =>
            {
                w.WriteNumber("contentBlockIndex"u8, index);
                w.WriteStartObject("start"u8);
                w.WriteStartObject("toolUse"u8);
                w.WriteString("toolUseId"u8, reply.ToolUseId);
                w.WriteString("name"u8, reply.ToolName);
                w.WriteEndObject();
                w.WriteEndObject();
            }));
            var input = reply.ToolInput!;
            foreach (var part in (string[])[input[..(input.Length / 2)], input[(input.Length / 2)..]])
            {
                frames.Add(Event("contentBlockDelta", frames.Count, w =>
                {
                    w.WriteNumber("contentBlockIndex"u8, index);
                    w.WriteStartObject("delta"u8);
                    w.WriteStartObject("toolUse"u8);
                    w.WriteString("input"u8, part);
                    w.WriteEndObject();
                    w.WriteEndObject();
                }));
            }

            frames.Add(Event("contentBlockStop", frames.Count, w => w.WriteNumber("contentBlockIndex"u8, index)));
        }

        frames.Add(Event("messageStop", frames.Count, w => w.WriteString("stopReason"u8, reply.StopReason)));
        frames.Add(Event("metadata", frames.Count, w =>
        {
            WriteUsage(w, reply);
            w.WriteStartObject("metrics"u8);
            w.WriteNumber("latencyMs"u8, 42);
            w.WriteEndObject();
        }));
        return frames;
    }

    /// <summary>An exception frame, as Bedrock sends mid-stream: <c>:message-type: exception</c>.</summary>
    public static byte[] ExceptionFrame(string exceptionType, string message)
    {
        var payload = JsonBodies.Serialize(message, static (w, m) =>
        {
            w.WriteStartObject();
            w.WriteString("message"u8, m);
            w.WriteEndObject();
        });
        var output = new ArrayBufferWriter<byte>(payload.Length + 96);
        EventStreamDecoder.Encode(output, [EventStreamHeader.Text(":exception-type", exceptionType), JsonContent, EventStreamHeader.Text(":message-type", "exception")], payload);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Event(string type, int number, Action<Utf8JsonWriter> writeMembers)
    {
        var payload = JsonBodies.Serialize((writeMembers, number), static (w, s) =>
        {
            w.WriteStartObject();
            s.writeMembers(w);
            w.WriteString("p"u8, Padding(s.number));
            w.WriteEndObject();
        });
        var output = new ArrayBufferWriter<byte>(payload.Length + 96);
        EventStreamDecoder.Encode(output, [EventStreamHeader.Text(":event-type", type), JsonContent, EventMessage], payload);
        return output.WrittenSpan.ToArray();
    }

    private static string Padding(int number)
    {
        const string Letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return Letters[..((number * 7 % 40) + 2)];
    }

    private static void WriteUsage(Utf8JsonWriter w, ConverseReply r)
    {
        w.WriteStartObject("usage"u8);
        w.WriteNumber("inputTokens"u8, r.InputTokens);
        w.WriteNumber("outputTokens"u8, r.OutputTokens);
        w.WriteNumber("totalTokens"u8, r.InputTokens + r.OutputTokens);
        w.WriteEndObject();
    }
}
