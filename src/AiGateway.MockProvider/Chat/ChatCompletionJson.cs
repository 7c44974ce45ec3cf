using System.Text.Json;
using AiGateway.MockProvider.Json;

namespace AiGateway.MockProvider.Chat;

/// <summary>Writes <c>chat.completion</c> bodies and <c>chat.completion.chunk</c> SSE streams in OpenAI's exact shape.</summary>
internal static class ChatCompletionJson
{
    /// <summary>Characters per streamed tool-call argument fragment.</summary>
    public const int ArgumentFragmentChars = 8;

    public static byte[] Completion(ChatCompletionIdentity identity, ChatReply reply) =>
        JsonBodies.Serialize((identity, reply), static (w, s) => WriteCompletion(w, s.identity, s.reply));

    /// <summary>
    /// Every SSE event of the stream, in order: role chunk, content (or tool-call) chunks, finish chunk,
    /// the usage chunk when <paramref name="includeUsage"/>, and <c>data: [DONE]</c>.
    /// </summary>
    public static IReadOnlyList<byte[]> StreamEvents(ChatCompletionIdentity identity, ChatReply reply, bool includeUsage)
    {
        var events = new List<byte[]>();
        if (reply.ToolCall is { } call)
        {
            events.Add(Chunk(identity, includeUsage, null, call, static (w, c) =>
            {
                w.WriteString("role"u8, "assistant");
                w.WriteNull("content"u8);
                w.WriteStartArray("tool_calls"u8);
                w.WriteStartObject();
                w.WriteNumber("index"u8, 0);
                w.WriteString("id"u8, c.Id);
                w.WriteString("type"u8, "function");
                w.WriteStartObject("function"u8);
                w.WriteString("name"u8, c.Name);
                w.WriteString("arguments"u8, string.Empty);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteNull("refusal"u8);
            }));
            foreach (var fragment in ChatText.SplitFixed(call.Arguments, ArgumentFragmentChars))
            {
                events.Add(Chunk(identity, includeUsage, null, fragment, static (w, f) =>
                {
                    w.WriteStartArray("tool_calls"u8);
                    w.WriteStartObject();
                    w.WriteNumber("index"u8, 0);
                    w.WriteStartObject("function"u8);
                    w.WriteString("arguments"u8, f);
                    w.WriteEndObject();
                    w.WriteEndObject();
                    w.WriteEndArray();
                }));
            }
        }
        else
        {
            events.Add(Chunk(identity, includeUsage, null, 0, static (w, _) =>
            {
                w.WriteString("role"u8, "assistant");
                w.WriteString("content"u8, string.Empty);
                w.WriteNull("refusal"u8);
            }));
            foreach (var piece in ChatText.SplitWords(reply.Text ?? string.Empty))
            {
                events.Add(Chunk(identity, includeUsage, null, piece, static (w, p) => w.WriteString("content"u8, p)));
            }
        }

        events.Add(Chunk(identity, includeUsage, reply.FinishReason, 0, static (_, _) => { }));
        if (includeUsage)
        {
            events.Add(JsonBodies.SseEvent((identity, reply), static (w, s) =>
            {
                WriteChunkHeader(w, s.identity);
                w.WriteStartArray("choices"u8);
                w.WriteEndArray();
                WriteUsage(w, s.reply);
                w.WriteEndObject();
            }));
        }

        events.Add(JsonBodies.SseDone());
        return events;
    }

    /// <summary>A mid-stream error event: <c>data: {"error":{...}}</c>.</summary>
    public static byte[] StreamError(OpenAiError error) => JsonBodies.SseEvent(error, static (w, e) => e.WriteTo(w));

    private static byte[] Chunk<T>(
        ChatCompletionIdentity identity,
        bool includeUsage,
        string? finishReason,
        T state,
        Action<Utf8JsonWriter, T> writeDelta) =>
        JsonBodies.SseEvent((identity, includeUsage, finishReason, state, writeDelta), static (w, s) =>
        {
            WriteChunkHeader(w, s.identity);
            w.WriteStartArray("choices"u8);
            w.WriteStartObject();
            w.WriteNumber("index"u8, 0);
            w.WriteStartObject("delta"u8);
            s.writeDelta(w, s.state);
            w.WriteEndObject();
            w.WriteNull("logprobs"u8);
            if (s.finishReason is null)
            {
                w.WriteNull("finish_reason"u8);
            }
            else
            {
                w.WriteString("finish_reason"u8, s.finishReason);
            }

            w.WriteEndObject();
            w.WriteEndArray();
            if (s.includeUsage)
            {
                w.WriteNull("usage"u8);
            }

            w.WriteEndObject();
        });

    private static void WriteChunkHeader(Utf8JsonWriter w, ChatCompletionIdentity identity)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, identity.Id);
        w.WriteString("object"u8, "chat.completion.chunk");
        w.WriteNumber("created"u8, identity.Created);
        w.WriteString("model"u8, identity.Model);
        w.WriteString("service_tier"u8, "default");
        w.WriteString("system_fingerprint"u8, ChatCompletionIdentity.SystemFingerprint);
    }

    private static void WriteCompletion(Utf8JsonWriter w, ChatCompletionIdentity identity, ChatReply reply)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, identity.Id);
        w.WriteString("object"u8, "chat.completion");
        w.WriteNumber("created"u8, identity.Created);
        w.WriteString("model"u8, identity.Model);
        w.WriteStartArray("choices"u8);
        w.WriteStartObject();
        w.WriteNumber("index"u8, 0);
        w.WriteStartObject("message"u8);
        w.WriteString("role"u8, "assistant");
        if (reply.ToolCall is { } call)
        {
            w.WriteNull("content"u8);
            w.WriteNull("refusal"u8);
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
            w.WriteString("content"u8, reply.Text);
            w.WriteNull("refusal"u8);
        }

        w.WriteStartArray("annotations"u8);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteNull("logprobs"u8);
        w.WriteString("finish_reason"u8, reply.FinishReason);
        w.WriteEndObject();
        w.WriteEndArray();
        WriteUsage(w, reply);
        w.WriteString("service_tier"u8, "default");
        w.WriteString("system_fingerprint"u8, ChatCompletionIdentity.SystemFingerprint);
        w.WriteEndObject();
    }

    private static void WriteUsage(Utf8JsonWriter w, ChatReply reply)
    {
        w.WriteStartObject("usage"u8);
        w.WriteNumber("prompt_tokens"u8, reply.PromptTokens);
        w.WriteNumber("completion_tokens"u8, reply.CompletionTokens);
        w.WriteNumber("total_tokens"u8, reply.TotalTokens);
        w.WriteStartObject("prompt_tokens_details"u8);
        w.WriteNumber("cached_tokens"u8, 0);
        w.WriteNumber("audio_tokens"u8, 0);
        w.WriteEndObject();
        w.WriteStartObject("completion_tokens_details"u8);
        w.WriteNumber("reasoning_tokens"u8, 0);
        w.WriteNumber("audio_tokens"u8, 0);
        w.WriteNumber("accepted_prediction_tokens"u8, 0);
        w.WriteNumber("rejected_prediction_tokens"u8, 0);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
