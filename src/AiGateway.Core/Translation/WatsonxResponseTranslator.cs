using System.Buffers;
using System.Text.Json;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Streaming;
using AiGateway.Core.Tokens;

namespace AiGateway.Core.Translation;

/// <summary>
/// watsonx.ai chat answers to OpenAI chat completions (provider-apis.md §6.4, §6.5, §8): the JSON body
/// (<c>model_id</c>, <c>model_version</c>, <c>created_at</c> and <c>system</c> dropped), the
/// <c>chat_stream</c> events chunk by chunk (<c>id:</c>/<c>event:</c> framing, <c>message</c> and
/// <c>close</c> events, <c>error</c> events to an OpenAI error line, the always-sent usage chunk shown only
/// when asked for, tool-call ids made up where watsonx leaves them out, <c>[DONE]</c> added), finish
/// reasons mapped, and watsonx errors to OpenAI errors with the status kept.
/// </summary>
public sealed class WatsonxResponseTranslator(string requestedModel, bool requestedStream, bool clientWantsUsage, long created) : IResponseTranslator
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private SseEventSplitter? _events;
    private Mode _mode;
    private int _status;
    private TokenUsage _usage;
    private string _id = "chatcmpl-watsonx";
    private string _model = requestedModel;
    private long _created = created;
    private HashSet<long>? _toolCalls;
    private bool _done;

    private enum Mode
    {
        Json,
        Stream,
        Error,
    }

    /// <inheritdoc />
    public TokenUsage Usage => _usage;

    /// <inheritdoc />
    public int? StatusOverride { get; private set; }

    /// <inheritdoc />
    public bool MalformedInput { get; private set; }

    /// <inheritdoc />
    public ResponseHeadersResult OnHeaders(int status, string? contentType, bool endOfStream)
    {
        _status = status;
        if (status >= 400)
        {
            _mode = Mode.Error;
            return endOfStream
                ? new ResponseHeadersResult(false, "application/json", ErrorBodyNormalizer.ForEmptyBody(status))
                : new ResponseHeadersResult(false, "application/json", null);
        }

        var isEventStream = contentType is not null && contentType.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase);
        _mode = requestedStream && isEventStream && !endOfStream ? Mode.Stream : Mode.Json;
        return new ResponseHeadersResult(_mode == Mode.Stream, _mode == Mode.Stream ? "text/event-stream" : "application/json", null);
    }

    /// <inheritdoc />
    public bool OnBody(ReadOnlySpan<byte> chunk, bool endOfStream, IBufferWriter<byte> output)
    {
        switch (_mode)
        {
            case Mode.Error:
                WatsonxErrors.Write(_status, chunk, output);
                return true;
            case Mode.Json:
                // Translate into a scratch buffer so a malformed answer leaves nothing half-written.
                var completion = new ArrayBufferWriter<byte>(chunk.Length + 128);
                try
                {
                    WriteCompletion(chunk, completion);
                    output.Write(completion.WrittenSpan);
                }
                catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
                {
                    StatusOverride = 502;
                    OpenAiErrorWriter.Write(new ClientError(502, "The provider's response could not be read.", "server_error", null, "bad_provider_response"), output);
                }

                return true;
            default:
                return WriteStream(chunk, endOfStream, output);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _events?.Dispose();

    /// <summary>watsonx <c>finish_reason</c> to OpenAI's (provider-apis.md §8.1); null stays null.</summary>
    public static string? FinishReason(string? reason) => reason switch
    {
        null => null,
        "stop" or "length" or "tool_calls" or "content_filter" or "function_call" => reason,
        "time_limit" => "length",
        _ => "stop", // cancelled, error and anything new: no OpenAI equivalent.
    };

    private void WriteCompletion(ReadOnlySpan<byte> body, IBufferWriter<byte> output)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        var root = document.RootElement;
        ReadHeader(root);
        ReadUsage(root);
        var choices = root.GetProperty("choices");
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("id"u8, _id);
        writer.WriteString("object"u8, "chat.completion");
        writer.WriteNumber("created"u8, _created);
        writer.WriteString("model"u8, _model);
        writer.WriteStartArray("choices"u8);
        var position = 0;
        foreach (var choice in choices.EnumerateArray())
        {
            var index = choice.TryGetProperty("index", out var i) && i.ValueKind == JsonValueKind.Number ? i.GetInt32() : position;
            var message = choice.GetProperty("message");
            writer.WriteStartObject();
            writer.WriteNumber("index"u8, index);
            writer.WriteStartObject("message"u8);
            writer.WriteString("role"u8, "assistant");
            var hasCalls = message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array && calls.GetArrayLength() > 0;
            if (message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
            {
                writer.WriteString("content"u8, content.GetString());
            }
            else if (hasCalls)
            {
                writer.WriteNull("content"u8);
            }
            else
            {
                writer.WriteString("content"u8, string.Empty);
            }

            if (message.TryGetProperty("reasoning_content", out var reasoning) && reasoning.ValueKind == JsonValueKind.String)
            {
                writer.WriteString("reasoning_content"u8, reasoning.GetString());
            }

            if (hasCalls)
            {
                writer.WriteStartArray("tool_calls"u8);
                var toolIndex = 0;
                foreach (var call in calls.EnumerateArray())
                {
                    var function = call.GetProperty("function");
                    writer.WriteStartObject();
                    writer.WriteString("id"u8, call.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString()!.Length > 0 ? id.GetString() : ToolCallId(index, toolIndex));
                    writer.WriteString("type"u8, "function");
                    writer.WriteStartObject("function"u8);
                    writer.WriteString("name"u8, function.GetProperty("name").GetString());
                    writer.WriteString("arguments"u8, function.TryGetProperty("arguments", out var arguments) && arguments.ValueKind == JsonValueKind.String ? arguments.GetString() : "{}");
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                    toolIndex++;
                }

                writer.WriteEndArray();
            }

            writer.WriteNull("refusal"u8);
            writer.WriteEndObject();
            WriteLogprobs(writer, choice);
            writer.WriteString("finish_reason"u8, FinishReason(choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String ? finish.GetString() : null) ?? "stop");
            writer.WriteEndObject();
            position++;
        }

        writer.WriteEndArray();
        if (_usage.Reported)
        {
            WriteUsageObject(writer);
        }

        writer.WriteEndObject();
    }

    private bool WriteStream(ReadOnlySpan<byte> chunk, bool endOfStream, IBufferWriter<byte> output)
    {
        var events = _events ??= new SseEventSplitter();
        var state = new StreamState(this, output);
        events.Feed(chunk, ref state, static (ref StreamState s, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> data) =>
        {
            if (s.Owner._done || data.IsEmpty)
            {
                return;
            }

            try
            {
                s.Owner.OnEvent(EventName(raw), data, s.Output);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                s.Owner.MalformedInput = true;
                s.Owner.WriteStreamError(s.Output, "The provider sent a malformed stream event.", "bad_provider_response");
            }
        });

        if (endOfStream && !_done)
        {
            // watsonx ends its streams without [DONE]: end the client's stream properly.
            WriteDone(output);
        }

        return true;
    }

    private void OnEvent(ReadOnlySpan<byte> name, ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        if (name.SequenceEqual("error"u8))
        {
            // The payload is usually a watsonx error object, but may be plain text.
            if (WatsonxErrors.Read(data) is { } error)
            {
                WriteStreamError(output, error.Message, error.Code);
            }
            else
            {
                var text = System.Text.Encoding.UTF8.GetString(data.Length > 300 ? data[..300] : data).Trim();
                WriteStreamError(output, text.Length == 0 ? "watsonx.ai failed mid-stream." : $"watsonx.ai failed mid-stream: {text}", "provider_stream_error");
            }

            return;
        }

        if (data.SequenceEqual("[DONE]"u8))
        {
            WriteDone(output);
            return;
        }

        // Parse from a pooled copy: the document is disposed before the copy goes back.
        var copy = ArrayPool<byte>.Shared.Rent(data.Length);
        try
        {
            data.CopyTo(copy);
            using var document = JsonDocument.Parse(copy.AsMemory(0, data.Length));
            OnChunk(document.RootElement, data, output);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private void OnChunk(JsonElement root, ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException("stream event is not an object");
        }

        if (root.TryGetProperty("errors", out _) && WatsonxErrors.Read(data) is { } inline)
        {
            WriteStreamError(output, inline.Message, inline.Code);
            return;
        }

        ReadHeader(root);
        ReadUsage(root);
        if (!root.TryGetProperty("choices", out var choices) || choices.GetArrayLength() == 0)
        {
            return; // The usage chunk (or close's {}): usage goes out with [DONE] when asked for.
        }

        output.Write("data: "u8);
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            WriteChunkHeader(writer);
            writer.WriteStartArray("choices"u8);
            var position = 0;
            foreach (var choice in choices.EnumerateArray())
            {
                var index = choice.TryGetProperty("index", out var i) && i.ValueKind == JsonValueKind.Number ? i.GetInt32() : position;
                writer.WriteStartObject();
                writer.WriteNumber("index"u8, index);
                writer.WriteStartObject("delta"u8);
                if (choice.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object)
                {
                    WriteDelta(writer, delta, index);
                }

                writer.WriteEndObject();
                WriteLogprobs(writer, choice);
                var finish = FinishReason(choice.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null);
                if (finish is null)
                {
                    writer.WriteNull("finish_reason"u8);
                }
                else
                {
                    writer.WriteString("finish_reason"u8, finish);
                }

                writer.WriteEndObject();
                position++;
            }

            writer.WriteEndArray();
            if (clientWantsUsage)
            {
                writer.WriteNull("usage"u8);
            }

            writer.WriteEndObject();
        }

        output.Write("\n\n"u8);
    }

    /// <summary>Copies a delta; a tool call's first delta gets an id (and type) when watsonx sent none (§6.5).</summary>
    private void WriteDelta(Utf8JsonWriter writer, JsonElement delta, int choice)
    {
        foreach (var property in delta.EnumerateObject())
        {
            if (!property.NameEquals("tool_calls") || property.Value.ValueKind != JsonValueKind.Array)
            {
                property.WriteTo(writer);
                continue;
            }

            writer.WriteStartArray("tool_calls"u8);
            var position = 0;
            foreach (var call in property.Value.EnumerateArray())
            {
                var toolIndex = call.TryGetProperty("index", out var i) && i.ValueKind == JsonValueKind.Number ? i.GetInt32() : position;
                var first = (_toolCalls ??= []).Add(((long)choice << 32) | (uint)toolIndex);
                var hasId = call.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString()!.Length > 0;
                writer.WriteStartObject();
                writer.WriteNumber("index"u8, toolIndex);
                if (first && !hasId)
                {
                    writer.WriteString("id"u8, ToolCallId(choice, toolIndex));
                    if (!call.TryGetProperty("type", out _))
                    {
                        writer.WriteString("type"u8, "function");
                    }
                }

                foreach (var field in call.EnumerateObject())
                {
                    if (!field.NameEquals("index") && !(field.NameEquals("id") && !hasId))
                    {
                        field.WriteTo(writer);
                    }
                }

                writer.WriteEndObject();
                position++;
            }

            writer.WriteEndArray();
        }
    }

    private string ToolCallId(int choice, int toolIndex)
    {
        var id = _id.StartsWith("chatcmpl-", StringComparison.Ordinal) ? _id["chatcmpl-".Length..] : _id;
        return choice == 0 ? $"call_{id}_{toolIndex}" : $"call_{id}_{choice}_{toolIndex}";
    }

    /// <summary>Ends the client's stream with an OpenAI error line (what OpenAI sends mid-stream).</summary>
    private void WriteStreamError(IBufferWriter<byte> output, string message, string? code)
    {
        OpenAiErrorWriter.WriteStreamEvent(message, "server_error", code, output);
        _done = true;
    }

    private void WriteDone(IBufferWriter<byte> output)
    {
        if (_done)
        {
            return;
        }

        _done = true;
        if (clientWantsUsage && _usage.Reported)
        {
            output.Write("data: "u8);
            using (var writer = new Utf8JsonWriter(output, WriterOptions))
            {
                WriteChunkHeader(writer);
                writer.WriteStartArray("choices"u8);
                writer.WriteEndArray();
                WriteUsageObject(writer);
                writer.WriteEndObject();
            }

            output.Write("\n\n"u8);
        }

        output.Write("data: [DONE]\n\n"u8);
    }

    private void WriteChunkHeader(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, _id);
        writer.WriteString("object"u8, "chat.completion.chunk");
        writer.WriteNumber("created"u8, _created);
        writer.WriteString("model"u8, _model);
    }

    /// <summary>Takes id, created and model (<c>model</c>, else <c>model_id</c>) when present.</summary>
    private void ReadHeader(JsonElement root)
    {
        if (root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } value)
        {
            _id = value;
        }

        if (root.TryGetProperty("created", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt64(out var createdAt))
        {
            _created = createdAt;
        }

        if (root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String && model.GetString() is { Length: > 0 } name)
        {
            _model = name;
        }
        else if (root.TryGetProperty("model_id", out var modelId) && modelId.ValueKind == JsonValueKind.String && modelId.GetString() is { Length: > 0 } idName)
        {
            _model = idName;
        }
    }

    private void ReadUsage(JsonElement root)
    {
        if (!root.TryGetProperty("usage", out var usage) || usage.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        static long Read(JsonElement usage, string name) =>
            usage.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count) ? count : 0;

        var prompt = Read(usage, "prompt_tokens");
        var completion = Read(usage, "completion_tokens");
        _usage = new TokenUsage(prompt, completion, prompt + completion, 0, true);
    }

    private void WriteUsageObject(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("usage"u8);
        writer.WriteNumber("prompt_tokens"u8, _usage.InputTokens);
        writer.WriteNumber("completion_tokens"u8, _usage.OutputTokens);
        writer.WriteNumber("total_tokens"u8, _usage.TotalTokens);
        writer.WriteEndObject();
    }

    private static void WriteLogprobs(Utf8JsonWriter writer, JsonElement choice)
    {
        if (choice.TryGetProperty("logprobs", out var logprobs) && logprobs.ValueKind == JsonValueKind.Object)
        {
            writer.WritePropertyName("logprobs"u8);
            logprobs.WriteTo(writer);
        }
        else
        {
            writer.WriteNull("logprobs"u8);
        }
    }

    /// <summary>The <c>event:</c> field of a raw SSE event; empty when it has none (a plain message).</summary>
    private static ReadOnlySpan<byte> EventName(ReadOnlySpan<byte> raw)
    {
        while (!raw.IsEmpty)
        {
            var newline = raw.IndexOf((byte)'\n');
            var line = newline < 0 ? raw : raw[..newline];
            raw = newline < 0 ? default : raw[(newline + 1)..];
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (line.StartsWith("event:"u8))
            {
                var value = line[6..];
                return value.Length > 0 && value[0] == (byte)' ' ? value[1..] : value;
            }
        }

        return default;
    }

    private struct StreamState(WatsonxResponseTranslator owner, IBufferWriter<byte> output)
    {
        public readonly WatsonxResponseTranslator Owner = owner;
        public readonly IBufferWriter<byte> Output = output;
    }
}
