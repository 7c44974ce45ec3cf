using System.Buffers;
using System.Text.Json;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Streaming.EventStream;
using AiGateway.Core.Tokens;

namespace AiGateway.Core.Translation;

/// <summary>
/// Bedrock Converse responses to OpenAI chat completions (provider-apis.md §4.5–4.8, §8): the JSON body,
/// the binary ConverseStream event stream frame by frame (text, tool-use start and input deltas,
/// reasoning, finish reason, usage with cache reads and writes, <c>[DONE]</c>), exceptions inside the
/// stream as an OpenAI error event, and Bedrock error bodies to OpenAI error JSON with the status kept.
/// Bedrock sends neither an id nor a model: the id comes from <c>x-amzn-RequestId</c>, the model is the
/// one requested.
/// </summary>
/// <param name="requestedModel">The client's model name (Converse answers name none).</param>
/// <param name="requestedStream">True when the client asked for a stream.</param>
/// <param name="clientWantsUsage">True when the client asked for the usage chunk.</param>
/// <param name="created">The <c>created</c> time stamp of the chunks.</param>
/// <param name="jsonTool">
/// The tool that stands for <c>response_format</c> JSON mode (<see cref="Schemas.Bedrock.ConverseRequestWriter.JsonResponseTool"/>),
/// when the request asked for JSON: its input becomes the message content and its call is not a tool call.
/// </param>
public sealed class BedrockResponseTranslator(string requestedModel, bool requestedStream, bool clientWantsUsage, long created, string? jsonTool = null) : IResponseTranslator
{
    /// <summary>The tool index of a content block that carries the JSON-mode answer rather than a tool call.</summary>
    private const int JsonBlock = -1;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private EventStreamDecoder? _decoder;
    private Utf8JsonWriter? _writer;
    private Dictionary<int, int>? _toolByBlock;
    private Mode _mode;
    private int _status;
    private string? _errorType;
    private TokenUsage _usage;
    private string _id = "chatcmpl-bedrock";
    private int _toolCalls;
    private bool _sawToolUse;
    private bool _done;

    private enum Mode
    {
        Json,
        Stream,
        Error,
    }

    private enum DeltaKind
    {
        None,
        Text,
        ToolInput,
        Reasoning,
    }

    /// <inheritdoc />
    public TokenUsage Usage => _usage;

    /// <inheritdoc />
    public int? StatusOverride { get; private set; }

    /// <inheritdoc />
    public bool MalformedInput { get; private set; }

    /// <inheritdoc />
    public void OnResponseHeaders(Func<string, string?> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (header("x-amzn-requestid") is { Length: > 0 } requestId)
        {
            _id = "chatcmpl-" + requestId;
        }

        _errorType = BedrockErrors.ErrorTypeOf(header("x-amzn-errortype"));
    }

    /// <inheritdoc />
    public ResponseHeadersResult OnHeaders(int status, string? contentType, bool endOfStream)
    {
        _status = status;
        if (status >= 400)
        {
            _mode = Mode.Error;
            return new ResponseHeadersResult(false, "application/json", endOfStream ? BedrockErrors.ForEmptyBody(status, _errorType) : null);
        }

        // ConverseStream answers application/vnd.amazon.eventstream; anything but JSON is taken as the stream.
        var isJson = contentType is not null && contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase);
        _mode = requestedStream && !isJson && !endOfStream ? Mode.Stream : Mode.Json;
        return new ResponseHeadersResult(_mode == Mode.Stream, _mode == Mode.Stream ? "text/event-stream" : "application/json", null);
    }

    /// <inheritdoc />
    public bool OnBody(ReadOnlySpan<byte> chunk, bool endOfStream, IBufferWriter<byte> output)
    {
        switch (_mode)
        {
            case Mode.Error:
                BedrockErrors.Write(_status, _errorType, chunk, output);
                return true;
            case Mode.Json:
                // Translate into a scratch buffer so a malformed answer leaves nothing half-written.
                var completion = new ArrayBufferWriter<byte>(chunk.Length + 256);
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
    public void Dispose()
    {
        _decoder?.Dispose();
        _writer?.Dispose();
    }

    /// <summary>Bedrock <c>stopReason</c> to OpenAI <c>finish_reason</c> (provider-apis.md §8.1); unknown values are <c>stop</c>.</summary>
    public static string FinishReason(string? stopReason) => stopReason switch
    {
        "max_tokens" or "model_context_window_exceeded" => "length",
        "tool_use" => "tool_calls",
        "content_filtered" or "guardrail_intervened" => "content_filter",
        _ => "stop",
    };

    private void WriteCompletion(ReadOnlySpan<byte> body, IBufferWriter<byte> output)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException("not an object");
        }

        var hasOutput = root.TryGetProperty("output", out var answer) && answer.ValueKind == JsonValueKind.Object;
        var stopReason = root.TryGetProperty("stopReason", out var stop) && stop.ValueKind == JsonValueKind.String ? stop.GetString() : null;
        if (!hasOutput && stopReason is null)
        {
            throw new InvalidOperationException("neither output nor stopReason");
        }

        if (root.TryGetProperty("usage", out var usage))
        {
            ReadUsage(usage);
        }

        var text = new System.Text.StringBuilder();
        string? reasoning = null;
        var hasText = false;
        var tools = new List<JsonElement>();
        if (hasOutput && answer.TryGetProperty("message", out var message) && message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
        {
            foreach (var block in content.EnumerateArray())
            {
                if (block.TryGetProperty("text", out var blockText))
                {
                    text.Append(blockText.GetString());
                    hasText = true;
                }
                else if (block.TryGetProperty("toolUse", out var toolUse))
                {
                    if (jsonTool is not null && toolUse.TryGetProperty("name", out var toolName) && toolName.ValueKind == JsonValueKind.String && toolName.ValueEquals(jsonTool))
                    {
                        // JSON mode: the forced tool's input is the answer.
                        text.Append(toolUse.TryGetProperty("input", out var json) ? json.GetRawText() : "{}");
                        hasText = true;
                    }
                    else
                    {
                        tools.Add(toolUse);
                    }
                }
                else if (block.TryGetProperty("reasoningContent", out var reasoningContent)
                    && reasoningContent.TryGetProperty("reasoningText", out var reasoningText)
                    && reasoningText.TryGetProperty("text", out var thought))
                {
                    reasoning = (reasoning ?? string.Empty) + thought.GetString();
                }
            }
        }

        using var writer = new Utf8JsonWriter(output, WriterOptions);
        OpenAiChatCompletionWriter.WriteStartWithChoice(writer, _id, created, requestedModel, text.ToString(), hasText, reasoning, tools, "toolUseId", FinishReason(stopReason));
        WriteUsageObject(writer);
        writer.WriteEndObject();
    }

    private bool WriteStream(ReadOnlySpan<byte> chunk, bool endOfStream, IBufferWriter<byte> output)
    {
        if (!_done)
        {
            var decoder = _decoder ??= new EventStreamDecoder();
            var state = new StreamState(this, output);
            try
            {
                decoder.Feed(chunk, ref state, static (ref StreamState s, in EventStreamMessage message) => s.Owner.OnMessage(message, s.Output));
            }
            catch (EventStreamException)
            {
                MalformedInput = true;
                WriteStreamError(output, "The provider sent a corrupt event stream.", "server_error", "bad_provider_response");
            }
        }

        if (endOfStream && !_done)
        {
            // The provider's stream ended without its metadata frame: still end the client's stream properly.
            WriteDone(output);
        }

        return true;
    }

    private void OnMessage(in EventStreamMessage message, IBufferWriter<byte> output)
    {
        if (_done)
        {
            return;
        }

        switch (message.MessageType)
        {
            case "event":
                try
                {
                    OnEvent(message.EventType, message.Payload, output);
                }
                catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
                {
                    MalformedInput = true;
                    WriteStreamError(output, "The provider sent a malformed stream event.", "server_error", "bad_provider_response");
                }

                break;
            case "exception":
                var exceptionType = message.ExceptionType;
                WriteStreamError(output, MessageOf(message.Payload) ?? $"The provider failed mid-stream ({exceptionType}).", BedrockErrors.StreamErrorType(exceptionType), exceptionType);
                break;
            case "error":
                WriteStreamError(output, message.GetString(":error-message"u8) ?? "The provider failed mid-stream.", "server_error", message.GetString(":error-code"u8));
                break;
        }
    }

    private void OnEvent(string? eventType, ReadOnlySpan<byte> payload, IBufferWriter<byte> output)
    {
        switch (eventType)
        {
            case "contentBlockDelta":
                OnDelta(payload, output);
                break;
            case "messageStart":
                var start = BeginChunk(output);
                start.WriteString("role"u8, "assistant");
                start.WriteString("content"u8, string.Empty);
                EndChunk(output, null);
                break;
            case "contentBlockStart":
                OnBlockStart(payload, output);
                break;
            case "messageStop":
                using (var document = JsonDocument.Parse(payload.ToArray()))
                {
                    var root = document.RootElement;
                    var finish = FinishReason(root.TryGetProperty("stopReason", out var stop) ? stop.GetString() : null);
                    if (_sawToolUse && finish == "stop")
                    {
                        finish = "tool_calls";
                    }
                    else if (!_sawToolUse && finish == "tool_calls")
                    {
                        // Only the JSON-mode tool was called: a plain answer.
                        finish = "stop";
                    }

                    BeginChunk(output);
                    EndChunk(output, finish);
                }

                break;
            case "metadata":
                using (var document = JsonDocument.Parse(payload.ToArray()))
                {
                    if (document.RootElement.TryGetProperty("usage", out var usage))
                    {
                        ReadUsage(usage);
                    }
                }

                WriteDone(output);
                break;
        }
    }

    private void OnBlockStart(ReadOnlySpan<byte> payload, IBufferWriter<byte> output)
    {
        using var document = JsonDocument.Parse(payload.ToArray());
        var root = document.RootElement;
        if (!root.TryGetProperty("start", out var start) || !start.TryGetProperty("toolUse", out var toolUse))
        {
            return;
        }

        var block = root.TryGetProperty("contentBlockIndex", out var index) ? index.GetInt32() : 0;
        var toolId = toolUse.GetProperty("toolUseId").GetString();
        var name = toolUse.GetProperty("name").GetString();
        if (jsonTool is not null && name == jsonTool)
        {
            // JSON mode: this block's input deltas are the answer's content.
            (_toolByBlock ??= [])[block] = JsonBlock;
            return;
        }

        var tool = _toolCalls++;
        (_toolByBlock ??= [])[block] = tool;
        _sawToolUse = true;
        var writer = BeginChunk(output);
        writer.WriteStartArray("tool_calls"u8);
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, tool);
        writer.WriteString("id"u8, toolId);
        writer.WriteString("type"u8, "function");
        writer.WriteStartObject("function"u8);
        writer.WriteString("name"u8, name);
        writer.WriteString("arguments"u8, string.Empty);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
        EndChunk(output, null);
    }

    /// <summary>
    /// The hot event: read with <see cref="Utf8JsonReader"/>, and the delta's JSON string copied as is
    /// (already valid JSON) instead of being decoded and escaped again.
    /// </summary>
    private void OnDelta(ReadOnlySpan<byte> payload, IBufferWriter<byte> output)
    {
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new InvalidOperationException("a delta must be an object");
        }

        var block = 0;
        var kind = DeltaKind.None;
        ReadOnlySpan<byte> raw = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("contentBlockIndex"u8))
            {
                reader.Read();
                block = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new InvalidOperationException("delta must be an object");
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("text"u8))
                    {
                        reader.Read();
                        kind = DeltaKind.Text;
                        raw = RawString(ref reader, payload);
                    }
                    else if (reader.ValueTextEquals("toolUse"u8))
                    {
                        reader.Read();
                        var input = InnerString(ref reader, payload, "input"u8);
                        if (!input.IsEmpty)
                        {
                            kind = DeltaKind.ToolInput;
                            raw = input;
                        }
                    }
                    else if (reader.ValueTextEquals("reasoningContent"u8))
                    {
                        // Signatures and redacted reasoning have no OpenAI counterpart.
                        reader.Read();
                        var thought = InnerString(ref reader, payload, "text"u8);
                        if (!thought.IsEmpty)
                        {
                            kind = DeltaKind.Reasoning;
                            raw = thought;
                        }
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        switch (kind)
        {
            case DeltaKind.Text:
                var text = BeginChunk(output);
                text.WritePropertyName("content"u8);
                text.WriteRawValue(raw, skipInputValidation: true);
                EndChunk(output, null);
                break;
            case DeltaKind.Reasoning:
                var reasoning = BeginChunk(output);
                reasoning.WritePropertyName("reasoning_content"u8);
                reasoning.WriteRawValue(raw, skipInputValidation: true);
                EndChunk(output, null);
                break;
            case DeltaKind.ToolInput when raw.Length > 2 && _toolByBlock is not null && _toolByBlock.TryGetValue(block, out var tool) && tool == JsonBlock:
                var json = BeginChunk(output);
                json.WritePropertyName("content"u8);
                json.WriteRawValue(raw, skipInputValidation: true);
                EndChunk(output, null);
                break;
            case DeltaKind.ToolInput when raw.Length > 2 && _toolByBlock is not null && _toolByBlock.TryGetValue(block, out var tool):
                var arguments = BeginChunk(output);
                arguments.WriteStartArray("tool_calls"u8);
                arguments.WriteStartObject();
                arguments.WriteNumber("index"u8, tool);
                arguments.WriteStartObject("function"u8);
                arguments.WritePropertyName("arguments"u8);
                arguments.WriteRawValue(raw, skipInputValidation: true);
                arguments.WriteEndObject();
                arguments.WriteEndObject();
                arguments.WriteEndArray();
                EndChunk(output, null);
                break;
        }
    }

    /// <summary>The current string token with its quotes, exactly as in <paramref name="payload"/>.</summary>
    private static ReadOnlySpan<byte> RawString(scoped ref Utf8JsonReader reader, ReadOnlySpan<byte> payload)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new InvalidOperationException("expected a string");
        }

        return payload.Slice((int)reader.TokenStartIndex, reader.ValueSpan.Length + 2);
    }

    /// <summary>Reads an object positioned at its start; returns the raw string of one member, skipping the rest.</summary>
    private static ReadOnlySpan<byte> InnerString(scoped ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> name)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new InvalidOperationException("expected an object");
        }

        ReadOnlySpan<byte> raw = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            reader.Read();
            if (match && reader.TokenType == JsonTokenType.String)
            {
                raw = RawString(ref reader, payload);
            }
            else
            {
                reader.Skip();
            }
        }

        return raw;
    }

    private static string? MessageOf(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isMessage = reader.ValueTextEquals("message"u8) || reader.ValueTextEquals("Message"u8);
                reader.Read();
                if (isMessage && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString();
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    /// <summary>Ends the client's stream with an OpenAI error line (what OpenAI sends mid-stream).</summary>
    private void WriteStreamError(IBufferWriter<byte> output, string message, string type, string? code)
    {
        OpenAiErrorWriter.WriteStreamEvent(message, type, code, output);
        _done = true;
    }

    private void WriteDone(IBufferWriter<byte> output)
    {
        if (_done)
        {
            return;
        }

        _done = true;
        if (clientWantsUsage)
        {
            output.Write("data: "u8);
            var writer = Writer(output);
            WriteChunkHeader(writer);
            writer.WriteStartArray("choices"u8);
            writer.WriteEndArray();
            WriteUsageObject(writer);
            writer.WriteEndObject();
            writer.Flush();
            output.Write("\n\n"u8);
        }

        output.Write("data: [DONE]\n\n"u8);
    }

    /// <summary>Writes <c>data: {chunk header, "choices":[{"index":0,"delta":{</c> and returns the writer for the delta's members.</summary>
    private Utf8JsonWriter BeginChunk(IBufferWriter<byte> output)
    {
        output.Write("data: "u8);
        var writer = Writer(output);
        WriteChunkHeader(writer);
        writer.WriteStartArray("choices"u8);
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, 0);
        writer.WriteStartObject("delta"u8);
        return writer;
    }

    private void EndChunk(IBufferWriter<byte> output, string? finishReason)
    {
        var writer = _writer!;
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

    private Utf8JsonWriter Writer(IBufferWriter<byte> output)
    {
        if (_writer is null)
        {
            _writer = new Utf8JsonWriter(output, WriterOptions);
        }
        else
        {
            _writer.Reset(output);
        }

        return _writer;
    }

    private void WriteChunkHeader(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, _id);
        writer.WriteString("object"u8, "chat.completion.chunk");
        writer.WriteNumber("created"u8, created);
        writer.WriteString("model"u8, requestedModel);
    }

    private void ReadUsage(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        static long Read(JsonElement usage, string name) =>
            usage.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

        // Converse's inputTokens excludes cache reads and writes; OpenAI's prompt_tokens includes them (§8.2).
        var cacheRead = Read(usage, "cacheReadInputTokens");
        var cacheWrite = Read(usage, "cacheWriteInputTokens");
        var prompt = Read(usage, "inputTokens") + cacheRead + cacheWrite;
        var completion = Read(usage, "outputTokens");
        _usage = new TokenUsage(prompt, completion, prompt + completion, cacheRead, true) { CacheWriteInputTokens = cacheWrite };
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
        writer.WriteEndObject();
    }

    private readonly struct StreamState(BedrockResponseTranslator owner, IBufferWriter<byte> output)
    {
        public readonly BedrockResponseTranslator Owner = owner;
        public readonly IBufferWriter<byte> Output = output;
    }
}
