using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AiGateway.MockProvider.Chat;
using AiGateway.MockProvider.Json;

namespace AiGateway.MockProvider.Watsonx;

/// <summary>
/// Writes watsonx.ai chat answers, <c>chat_stream</c> events and embeddings in IBM's shapes
/// (provider-apis.md §6.4, §6.5, §6.7).
/// </summary>
internal static class WatsonxJson
{
    /// <summary>The <c>model_version</c> every answer carries.</summary>
    public const string ModelVersion = "1.1.0";

    /// <summary>A chat answer: OpenAI-like, with <c>model_id</c>, <c>model_version</c>, <c>created_at</c> and <c>system.warnings</c>.</summary>
    public static byte[] Completion(WatsonxIdentity identity, ChatReply reply) =>
        JsonBodies.Serialize((identity, reply), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("id"u8, s.identity.Id);
            w.WriteString("object"u8, "chat.completion");
            w.WriteString("model_id"u8, s.identity.ModelId);
            w.WriteString("model"u8, s.identity.ModelId);
            w.WriteStartArray("choices"u8);
            w.WriteStartObject();
            w.WriteNumber("index"u8, 0);
            w.WriteStartObject("message"u8);
            w.WriteString("role"u8, "assistant");
            if (s.reply.ToolCall is { } call)
            {
                w.WriteStartArray("tool_calls"u8);
                w.WriteStartObject();
                w.WriteString("id"u8, call.Id);
                w.WriteString("type"u8, "function");
                w.WriteStartObject("function"u8);
                w.WriteString("name"u8, call.Name);
                w.WriteString("arguments"u8, call.Arguments);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
            }
            else
            {
                w.WriteString("content"u8, s.reply.Text);
            }

            w.WriteEndObject();
            w.WriteString("finish_reason"u8, s.reply.FinishReason);
            w.WriteEndObject();
            w.WriteEndArray();
            WriteStamp(w, s.identity);
            WriteUsage(w, s.reply);
            w.WriteStartObject("system"u8);
            w.WriteStartArray("warnings"u8);
            w.WriteStartObject();
            w.WriteString("message"u8, "This model is a mock; its answers are not generated.");
            w.WriteString("id"u8, "disclaimer_warning");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        });

    /// <summary>
    /// Every event of a <c>chat_stream</c> answer, each <c>id: n\nevent: message\ndata: {json}\n\n</c>: the role
    /// chunk, content (or tool-call) chunks, the finish chunk, and always a last <c>choices:[]</c> usage chunk.
    /// No <c>[DONE]</c>. Streamed tool calls carry no <c>id</c> when <paramref name="omitToolCallIds"/>
    /// (watsonx does so for <c>tool_choice_option: "required"</c>).
    /// </summary>
    public static IReadOnlyList<byte[]> StreamEvents(WatsonxIdentity identity, ChatReply reply, bool omitToolCallIds)
    {
        var chunks = new List<Action<Utf8JsonWriter>>();
        if (reply.ToolCall is { } call)
        {
            chunks.Add(w => Choice(w, null, d =>
            {
                d.WriteString("role"u8, "assistant");
                d.WriteStartArray("tool_calls"u8);
                d.WriteStartObject();
                d.WriteNumber("index"u8, 0);
                if (!omitToolCallIds)
                {
                    d.WriteString("id"u8, call.Id);
                }

                d.WriteString("type"u8, "function");
                d.WriteStartObject("function"u8);
                d.WriteString("name"u8, call.Name);
                d.WriteString("arguments"u8, string.Empty);
                d.WriteEndObject();
                d.WriteEndObject();
                d.WriteEndArray();
            }));
            foreach (var fragment in ChatText.SplitFixed(call.Arguments, ChatCompletionJson.ArgumentFragmentChars))
            {
                chunks.Add(w => Choice(w, null, d =>
                {
                    d.WriteStartArray("tool_calls"u8);
                    d.WriteStartObject();
                    d.WriteNumber("index"u8, 0);
                    d.WriteStartObject("function"u8);
                    d.WriteString("arguments"u8, fragment);
                    d.WriteEndObject();
                    d.WriteEndObject();
                    d.WriteEndArray();
                }));
            }
        }
        else
        {
            chunks.Add(w => Choice(w, null, d =>
            {
                d.WriteString("role"u8, "assistant");
                d.WriteString("content"u8, string.Empty);
            }));
            foreach (var piece in ChatText.SplitWords(reply.Text ?? string.Empty))
            {
                chunks.Add(w => Choice(w, null, d => d.WriteString("content"u8, piece)));
            }
        }

        chunks.Add(w => Choice(w, reply.FinishReason, _ => { }));
        var events = new List<byte[]>(chunks.Count + 1);
        foreach (var write in chunks)
        {
            events.Add(Event(events.Count + 1, "message", identity, write, null));
        }

        events.Add(Event(events.Count + 1, "message", identity, w =>
        {
            w.WriteStartArray("choices"u8);
            w.WriteEndArray();
        }, reply));
        return events;
    }

    /// <summary>A mid-stream failure: <c>id: n\nevent: error\ndata: {watsonx error}\n\n</c>.</summary>
    public static byte[] StreamError(int eventId, WatsonxError error, string trace)
    {
        ArgumentNullException.ThrowIfNull(error);
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write(Encoding.UTF8.GetBytes($"id: {eventId.ToString(CultureInfo.InvariantCulture)}\nevent: error\ndata: "));
        using (var writer = new Utf8JsonWriter(buffer, JsonBodies.WriterOptions))
        {
            error.WriteTo(writer, trace);
        }

        buffer.Write("\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>An embeddings answer: <c>{"model_id","results":[{"embedding":[...]}],"created_at","input_token_count"}</c>.</summary>
    public static byte[] Embeddings(string modelId, IReadOnlyList<float[]> vectors, IReadOnlyList<string>? echoedInputs, int inputTokens, DateTimeOffset now) =>
        JsonBodies.Serialize((modelId, vectors, echoedInputs, inputTokens, now), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("model_id"u8, s.modelId);
            w.WriteStartArray("results"u8);
            for (var i = 0; i < s.vectors.Count; i++)
            {
                w.WriteStartObject();
                w.WriteStartArray("embedding"u8);
                foreach (var value in s.vectors[i])
                {
                    w.WriteNumberValue(value);
                }

                w.WriteEndArray();
                if (s.echoedInputs is not null)
                {
                    w.WriteString("input"u8, s.echoedInputs[i]);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("created_at"u8, CreatedAt(s.now));
            w.WriteNumber("input_token_count"u8, s.inputTokens);
            w.WriteEndObject();
        });

    /// <summary>A watsonx error body.</summary>
    public static byte[] Error(WatsonxError error, string trace) =>
        JsonBodies.Serialize((error, trace), static (w, s) => s.error.WriteTo(w, s.trace));

    private static byte[] Event(int id, string name, WatsonxIdentity identity, Action<Utf8JsonWriter> writeChoices, ChatReply? usage)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write(Encoding.UTF8.GetBytes($"id: {id.ToString(CultureInfo.InvariantCulture)}\nevent: {name}\ndata: "));
        using (var w = new Utf8JsonWriter(buffer, JsonBodies.WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("id"u8, identity.Id);
            w.WriteString("object"u8, "chat.completion.chunk");
            w.WriteString("model_id"u8, identity.ModelId);
            w.WriteString("model"u8, identity.ModelId);
            writeChoices(w);
            WriteStamp(w, identity);
            if (usage is not null)
            {
                WriteUsage(w, usage);
            }

            w.WriteEndObject();
        }

        buffer.Write("\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private static void Choice(Utf8JsonWriter w, string? finishReason, Action<Utf8JsonWriter> writeDelta)
    {
        w.WriteStartArray("choices"u8);
        w.WriteStartObject();
        w.WriteNumber("index"u8, 0);
        if (finishReason is null)
        {
            w.WriteNull("finish_reason"u8);
        }
        else
        {
            w.WriteString("finish_reason"u8, finishReason);
        }

        w.WriteStartObject("delta"u8);
        writeDelta(w);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void WriteStamp(Utf8JsonWriter w, WatsonxIdentity identity)
    {
        w.WriteNumber("created"u8, identity.Created.ToUnixTimeSeconds());
        w.WriteString("model_version"u8, ModelVersion);
        w.WriteString("created_at"u8, CreatedAt(identity.Created));
    }

    private static void WriteUsage(Utf8JsonWriter w, ChatReply reply)
    {
        w.WriteStartObject("usage"u8);
        w.WriteNumber("completion_tokens"u8, reply.CompletionTokens);
        w.WriteNumber("prompt_tokens"u8, reply.PromptTokens);
        w.WriteNumber("total_tokens"u8, reply.TotalTokens);
        w.WriteEndObject();
    }

    private static string CreatedAt(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
