using System.Buffers;
using System.Text;
using System.Text.Json;
using AiGateway.Core.Schemas.Gemini;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Streaming;
using AiGateway.Core.Tokens;

namespace AiGateway.Core.Translation;

/// <summary>
/// Gemini <c>generateContent</c> responses (AI Studio and Vertex AI) to OpenAI chat completions
/// (provider-apis.md §5.3, §5.4, §8): candidates to choices, text and thought parts to <c>content</c> and
/// <c>reasoning_content</c>, <c>functionCall</c> parts to tool calls with generated ids and JSON-string
/// arguments, finish reasons and blocked prompts, <c>usageMetadata</c> normalised; the SSE stream (one whole
/// response object per event) to chunks with a synthesised <c>[DONE]</c>; Google error bodies to OpenAI errors.
/// </summary>
/// <param name="requestedModel">The model asked for, used when the answer names none.</param>
/// <param name="requestedStream">True when the client asked for a stream.</param>
/// <param name="clientWantsUsage">True when the client set <c>stream_options.include_usage</c>.</param>
/// <param name="created">The <c>created</c> timestamp to write.</param>
/// <param name="idSeed">Makes this response's generated ids unique (tool calls come without ids).</param>
public sealed class GeminiResponseTranslator(string requestedModel, bool requestedStream, bool clientWantsUsage, long created, string idSeed) : IResponseTranslator
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private SseEventSplitter? _events;
    private Utf8JsonWriter? _chunkWriter;
    private Mode _mode;
    private int _status;
    private TokenUsage _usage;
    private long _reasoningTokens;
    private string? _id;
    private string _model = requestedModel;
    private int _generatedIds;
    private ChoiceState[] _choices = [];
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

    private string Id => _id ??= "chatcmpl-" + idSeed;

    /// <summary>Gemini <c>finishReason</c> to OpenAI <c>finish_reason</c> (provider-apis.md §5.6, §8.1).</summary>
    /// <param name="reason">Gemini's value.</param>
    /// <param name="calledFunctions">True when the choice produced a function call (in streams: in any event).</param>
    public static string FinishReason(string? reason, bool calledFunctions) => reason switch
    {
        "MAX_TOKENS" => "length",
        "SAFETY" or "RECITATION" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII" or "IMAGE_SAFETY"
            or "IMAGE_PROHIBITED_CONTENT" or "IMAGE_RECITATION" => "content_filter",
        _ when calledFunctions => "tool_calls",
        _ => "stop",
    };

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
                GeminiErrorReader.WriteOpenAiError(_status, chunk, output);
                return true;
            case Mode.Json:
                // Translate into a scratch buffer so a malformed answer leaves nothing half-written.
                var completion = new ArrayBufferWriter<byte>(chunk.Length + 256);
                try
                {
                    WriteCompletion(chunk, completion);
                    output.Write(completion.WrittenSpan);
                }
                catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
                {
                    StatusOverride = 502;
                    OpenAiErrorWriter.Write(new ClientError(502, "The provider's response could not be read.", "server_error", null, "bad_provider_response"), output);
                }

                return true;
            default:
                return WriteStreamChunk(chunk, endOfStream, output);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _events?.Dispose();
        _chunkWriter?.Dispose();
    }

    private void WriteCompletion(ReadOnlySpan<byte> body, IBufferWriter<byte> output)
    {
        var reader = new Utf8JsonReader(body);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException("The answer is not a JSON object.");
        }

        ReadHeader(root);
        ReadUsage(root);
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("id"u8, Id);
        writer.WriteString("object"u8, "chat.completion");
        writer.WriteNumber("created"u8, created);
        writer.WriteString("model"u8, _model);
        writer.WriteStartArray("choices"u8);
        var position = 0;
        if (root.TryGetProperty("candidates", out var candidates) && candidates.ValueKind == JsonValueKind.Array)
        {
            foreach (var candidate in candidates.EnumerateArray())
            {
                WriteChoice(writer, candidate, position++);
            }
        }

        if (position == 0)
        {
            // No candidate: a blocked prompt (promptFeedback.blockReason) or an empty answer.
            writer.WriteStartObject();
            writer.WriteNumber("index"u8, 0);
            writer.WriteStartObject("message"u8);
            writer.WriteString("role"u8, "assistant");
            writer.WriteNull("content"u8);
            writer.WriteNull("refusal"u8);
            writer.WriteEndObject();
            writer.WriteNull("logprobs"u8);
            writer.WriteString("finish_reason"u8, BlockReason(root) is null ? "stop" : "content_filter");
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WriteUsageObject(writer);
        writer.WriteEndObject();
    }

    private void WriteChoice(Utf8JsonWriter writer, JsonElement candidate, int position)
    {
        var text = new StringBuilder();
        StringBuilder? reasoning = null;
        var hasText = false;
        List<JsonElement>? calls = null;
        foreach (var part in Parts(candidate))
        {
            if (part.TryGetProperty("functionCall", out var call))
            {
                (calls ??= []).Add(call);
            }
            else if (part.TryGetProperty("text", out var partText) && partText.ValueKind == JsonValueKind.String)
            {
                if (IsThought(part))
                {
                    (reasoning ??= new StringBuilder()).Append(partText.GetString());
                }
                else
                {
                    text.Append(partText.GetString());
                    hasText = true;
                }
            }
        }

        writer.WriteStartObject();
        writer.WriteNumber("index"u8, candidate.TryGetProperty("index", out var index) && index.ValueKind == JsonValueKind.Number ? index.GetInt32() : position);
        writer.WriteStartObject("message"u8);
        writer.WriteString("role"u8, "assistant");
        if (hasText || calls is null)
        {
            writer.WriteString("content"u8, text.ToString());
        }
        else
        {
            writer.WriteNull("content"u8);
        }

        if (reasoning is not null)
        {
            writer.WriteString("reasoning_content"u8, reasoning.ToString());
        }

        if (calls is not null)
        {
            writer.WriteStartArray("tool_calls"u8);
            foreach (var call in calls)
            {
                WriteToolCall(writer, call, null);
            }

            writer.WriteEndArray();
        }

        writer.WriteNull("refusal"u8);
        writer.WriteEndObject();
        writer.WriteNull("logprobs"u8);
        writer.WriteString("finish_reason"u8, FinishReason(FinishReasonOf(candidate), calls is not null));
        writer.WriteEndObject();
    }

    /// <summary>One OpenAI tool call: the provider's id when it sent one, else a generated one.</summary>
    private void WriteToolCall(Utf8JsonWriter writer, JsonElement call, int? streamIndex)
    {
        var name = call.GetProperty("name").GetString();
        writer.WriteStartObject();
        if (streamIndex is { } i)
        {
            writer.WriteNumber("index"u8, i);
        }

        if (call.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } providerId)
        {
            writer.WriteString("id"u8, providerId);
        }
        else
        {
            writer.WriteString("id"u8, $"call_{idSeed}_{_generatedIds++}");
        }

        writer.WriteString("type"u8, "function");
        writer.WriteStartObject("function"u8);
        writer.WriteString("name"u8, name);
        writer.WriteString("arguments"u8, call.TryGetProperty("args", out var args) && args.ValueKind == JsonValueKind.Object ? args.GetRawText() : "{}");
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private bool WriteStreamChunk(ReadOnlySpan<byte> chunk, bool endOfStream, IBufferWriter<byte> output)
    {
        var events = _events ??= new SseEventSplitter();
        var state = new StreamState(this, output);
        events.Feed(chunk, ref state, static (ref StreamState s, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> data) =>
        {
            if (!data.IsEmpty && !s.Owner._done)
            {
                try
                {
                    s.Owner.OnEvent(data, s.Output);
                }
                catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
                {
                    s.Owner.MalformedInput = true;
                    s.Owner.WriteStreamError(s.Output, "The provider sent a malformed stream event.", "bad_provider_response");
                }
            }
        });

        if (endOfStream && !_done)
        {
            // Gemini streams end with the body: the client's stream still gets its usage chunk and [DONE].
            WriteDone(output);
        }

        return true;
    }

    private void OnEvent(ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        var reader = new Utf8JsonReader(data);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (GeminiErrorReader.TryRead(root, out var message, out var status))
        {
            WriteStreamError(output, message, GeminiErrorReader.CodeFor(status));
            return;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException("A stream event is not a JSON object.");
        }

        ReadHeader(root);
        ReadUsage(root);
        var position = 0;
        if (root.TryGetProperty("candidates", out var candidates) && candidates.ValueKind == JsonValueKind.Array)
        {
            foreach (var candidate in candidates.EnumerateArray())
            {
                var index = candidate.TryGetProperty("index", out var i) && i.ValueKind == JsonValueKind.Number ? i.GetInt32() : position;
                position++;
                OnCandidate(candidate, index, output);
            }
        }

        if (position == 0 && BlockReason(root) is not null)
        {
            ref var choice = ref Choice(0);
            if (!choice.Finished)
            {
                choice.Finished = true;
                var started = choice.Started;
                choice.Started = true;
                WriteChunkStart(output, out var writer, 0);
                if (!started)
                {
                    writer.WriteString("role"u8, "assistant");
                    writer.WriteString("content"u8, string.Empty);
                }

                WriteChunkEnd(output, writer, "content_filter");
            }
        }
    }

    private void OnCandidate(JsonElement candidate, int index, IBufferWriter<byte> output)
    {
        ref var choice = ref Choice(index);
        if (choice.Finished)
        {
            return;
        }

        StringBuilder? text = null;
        StringBuilder? reasoning = null;
        List<JsonElement>? calls = null;
        JsonElement onlyText = default;
        foreach (var part in Parts(candidate))
        {
            if (part.TryGetProperty("functionCall", out var call))
            {
                (calls ??= []).Add(call);
            }
            else if (part.TryGetProperty("text", out var partText) && partText.ValueKind == JsonValueKind.String && !partText.ValueEquals(""u8))
            {
                if (IsThought(part))
                {
                    (reasoning ??= new StringBuilder()).Append(partText.GetString());
                }
                else if (text is null && onlyText.ValueKind == JsonValueKind.Undefined)
                {
                    // The usual event: one text part, copied as JSON without a string in between.
                    onlyText = partText;
                }
                else
                {
                    text ??= new StringBuilder(onlyText.GetString());
                    text.Append(partText.GetString());
                }
            }
        }

        var hasText = text is not null || onlyText.ValueKind == JsonValueKind.String;

        if (!choice.Started || hasText || reasoning is not null || calls is not null)
        {
            var first = !choice.Started;
            choice.Started = true;
            WriteChunkStart(output, out var writer, index);
            if (first)
            {
                writer.WriteString("role"u8, "assistant");
            }

            if (text is not null)
            {
                writer.WriteString("content"u8, text.ToString());
            }
            else if (onlyText.ValueKind == JsonValueKind.String)
            {
                writer.WritePropertyName("content"u8);
                onlyText.WriteTo(writer);
            }
            else if (first)
            {
                writer.WriteString("content"u8, string.Empty);
            }

            if (reasoning is not null)
            {
                writer.WriteString("reasoning_content"u8, reasoning.ToString());
            }

            if (calls is not null)
            {
                choice.CalledFunctions = true;
                writer.WriteStartArray("tool_calls"u8);
                foreach (var call in calls)
                {
                    // Gemini sends each call whole: name and complete arguments in one chunk.
                    WriteToolCall(writer, call, choice.ToolCalls++);
                }

                writer.WriteEndArray();
            }

            WriteChunkEnd(output, writer, null);
        }

        if (FinishReasonOf(candidate) is { } reason)
        {
            choice.Finished = true;
            WriteChunkStart(output, out var writer, index);
            WriteChunkEnd(output, writer, FinishReason(reason, choice.CalledFunctions));
        }
    }

    /// <summary>Ends the client's stream with an OpenAI error line (what OpenAI sends mid-stream).</summary>
    private void WriteStreamError(IBufferWriter<byte> output, string message, string? code)
    {
        OpenAiErrorWriter.WriteStreamEvent(message, "server_error", code, output);
        _done = true;
    }

    private void WriteDone(IBufferWriter<byte> output)
    {
        _done = true;
        if (clientWantsUsage)
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

    /// <summary>Writes <c>data: {...,"choices":[{"index":i,"delta":{</c>; the caller adds delta fields.</summary>
    private void WriteChunkStart(IBufferWriter<byte> output, out Utf8JsonWriter writer, int index)
    {
        output.Write("data: "u8);

        // One writer per translator, pointed at this output: no writer allocation per chunk.
        writer = _chunkWriter ??= new Utf8JsonWriter(output, WriterOptions);
        writer.Reset(output);
        WriteChunkHeader(writer);
        writer.WriteStartArray("choices"u8);
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, index);
        writer.WriteStartObject("delta"u8);
    }

    private void WriteChunkEnd(IBufferWriter<byte> output, Utf8JsonWriter writer, string? finishReason)
    {
        writer.WriteEndObject();
        writer.WriteNull("logprobs"u8);
        if (finishReason is null)
        {
            writer.WriteNull("finish_reason"u8);
        }
        else
        {
            writer.WriteString("finish_reason"u8, finishReason);
        }

        writer.WriteEndObject();
        writer.WriteEndArray();
        if (clientWantsUsage)
        {
            writer.WriteNull("usage"u8);
        }

        writer.WriteEndObject();
        writer.Flush();
        output.Write("\n\n"u8);
    }

    private void WriteChunkHeader(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, Id);
        writer.WriteString("object"u8, "chat.completion.chunk");
        writer.WriteNumber("created"u8, created);
        writer.WriteString("model"u8, _model);
    }

    private ref ChoiceState Choice(int index)
    {
        if (index < 0 || index > 64)
        {
            throw new InvalidOperationException("A candidate index is out of range.");
        }

        if (index >= _choices.Length)
        {
            Array.Resize(ref _choices, index + 1);
        }

        return ref _choices[index];
    }

    private void ReadHeader(JsonElement root)
    {
        if (_id is null && root.TryGetProperty("responseId", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } responseId)
        {
            _id = "chatcmpl-" + responseId;
        }

        if (root.TryGetProperty("modelVersion", out var model) && model.ValueKind == JsonValueKind.String
            && !model.ValueEquals(_model) && model.GetString() is { Length: > 0 } version)
        {
            // Compared first: stream events repeat the same version, so no string per event.
            _model = version;
        }
    }

    /// <summary>Reads <c>usageMetadata</c> (the last one of a stream is authoritative), normalised per §8.2.</summary>
    private void ReadUsage(JsonElement root)
    {
        if (!root.TryGetProperty("usageMetadata", out var usage) || usage.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        static long Read(JsonElement usage, ReadOnlySpan<byte> name) =>
            usage.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

        // promptTokenCount already holds the cached tokens; tool-use prompt tokens are counted besides it.
        var prompt = Read(usage, "promptTokenCount"u8) + Read(usage, "toolUsePromptTokenCount"u8);
        _reasoningTokens = Read(usage, "thoughtsTokenCount"u8);
        var completion = Read(usage, "candidatesTokenCount"u8) + _reasoningTokens;
        _usage = new TokenUsage(prompt, completion, prompt + completion, Read(usage, "cachedContentTokenCount"u8), true) { ReasoningTokens = _reasoningTokens };
    }

    private void WriteUsageObject(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("usage"u8);
        writer.WriteNumber("prompt_tokens"u8, _usage.InputTokens);
        writer.WriteNumber("completion_tokens"u8, _usage.OutputTokens);
        writer.WriteNumber("total_tokens"u8, _usage.TotalTokens);
        writer.WriteStartObject("prompt_tokens_details"u8);
        writer.WriteNumber("cached_tokens"u8, _usage.CachedInputTokens);
        writer.WriteEndObject();
        writer.WriteStartObject("completion_tokens_details"u8);
        writer.WriteNumber("reasoning_tokens"u8, _reasoningTokens);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>The candidate's parts; an empty list when it has none.</summary>
    private static List<JsonElement> Parts(JsonElement candidate)
    {
        var list = new List<JsonElement>();
        if (candidate.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Object
            && content.TryGetProperty("parts", out var parts) && parts.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in parts.EnumerateArray())
            {
                if (part.ValueKind != JsonValueKind.Object)
                {
                    throw new InvalidOperationException("A part is not an object.");
                }

                // Checked before anything is written, so a bad call cannot leave a chunk half-written.
                if (part.TryGetProperty("functionCall", out var call)
                    && (call.ValueKind != JsonValueKind.Object || !call.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String))
                {
                    throw new InvalidOperationException("A function call has no name.");
                }

                list.Add(part);
            }
        }

        return list;
    }

    private static bool IsThought(JsonElement part) =>
        part.TryGetProperty("thought", out var thought) && thought.ValueKind == JsonValueKind.True;

    private static string? FinishReasonOf(JsonElement candidate) =>
        candidate.TryGetProperty("finishReason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : null;

    private static string? BlockReason(JsonElement root) =>
        root.TryGetProperty("promptFeedback", out var feedback) && feedback.ValueKind == JsonValueKind.Object
        && feedback.TryGetProperty("blockReason", out var reason) && reason.ValueKind == JsonValueKind.String
            ? reason.GetString()
            : null;

    private struct ChoiceState
    {
        public bool Started;
        public bool Finished;
        public bool CalledFunctions;
        public int ToolCalls;
    }

    private struct StreamState(GeminiResponseTranslator owner, IBufferWriter<byte> output)
    {
        public readonly GeminiResponseTranslator Owner = owner;
        public readonly IBufferWriter<byte> Output = output;
    }
}
