using System.Buffers;
using System.Text.Json;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Streaming;
using AiGateway.Core.Tokens;

namespace AiGateway.Core.Translation;

/// <summary>
/// Anthropic Messages responses to OpenAI chat completions (provider-apis.md §3.8, §8): the JSON body,
/// the SSE event stream chunk by chunk (text, tool-use and thinking deltas, finish reason, usage,
/// <c>[DONE]</c>), and Anthropic error bodies to OpenAI error JSON with the status kept.
/// </summary>
/// <param name="requestedModel">The client's model name, used until the provider names one.</param>
/// <param name="requestedStream">True when the client asked for a stream.</param>
/// <param name="clientWantsUsage">True when the client asked for the usage chunk.</param>
/// <param name="created">The <c>created</c> time stamp of the chunks.</param>
/// <param name="jsonTool">
/// The tool that stands for <c>response_format</c> JSON mode (<see cref="Schemas.Anthropic.AnthropicRequestWriter.JsonResponseTool"/>),
/// when the request asked for JSON: its input becomes the message content and its call is not a tool call.
/// </param>
public sealed class AnthropicResponseTranslator(string requestedModel, bool requestedStream, bool clientWantsUsage, long created, string? jsonTool = null) : IResponseTranslator
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private SseEventSplitter? _events;
    private Mode _mode;
    private int _status;
    private TokenUsage _usage;
    private long _input;
    private long _cacheRead;
    private long _cacheWrite;
    private long _output;
    private string _id = "chatcmpl-anthropic";
    private string _model = requestedModel;
    private int _toolCalls;
    private int _currentTool = -1;
    private bool _inJsonBlock;
    private bool _sawToolUse;
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
                return WriteError(chunk, output);
            case Mode.Json:
                // Translate into a scratch buffer so a malformed answer leaves nothing half-written.
                var completion = new ArrayBufferWriter<byte>(chunk.Length + 256);
                try
                {
                    WriteCompletion(chunk, completion);
                    output.Write(completion.WrittenSpan);
                    return true;
                }
                catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
                {
                    StatusOverride = 502;
                    OpenAiErrorWriter.Write(new ClientError(502, "The provider's response could not be read.", "server_error", null, "bad_provider_response"), output);
                    return true;
                }
            default:
                return WriteStreamChunk(chunk, endOfStream, output);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _events?.Dispose();

    /// <summary>Anthropic <c>stop_reason</c> to OpenAI <c>finish_reason</c> (provider-apis.md §8.1).</summary>
    public static string FinishReason(string? stopReason) => stopReason switch
    {
        "max_tokens" or "model_context_window_exceeded" => "length",
        "tool_use" => "tool_calls",
        "refusal" => "content_filter",
        _ => "stop",
    };

    /// <summary>
    /// Writes the OpenAI error for an Anthropic error body (or a normalised one for anything else); returns
    /// false, passing the body on unchanged, when it already is OpenAI error JSON (a proxy in front of
    /// Anthropic, a local reply normalised upstream): its code and param are kept as they are.
    /// </summary>
    private bool WriteError(ReadOnlySpan<byte> body, IBufferWriter<byte> output)
    {
        string? type = null;
        string? message = null;
        var anthropicShape = false;
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                // Anthropic wraps its errors in {"type":"error",...}; OpenAI errors carry code and param instead.
                anthropicShape = (root.TryGetProperty("type", out var envelope) && envelope.ValueKind == JsonValueKind.String && envelope.ValueEquals("error"u8))
                    || !(error.TryGetProperty("code", out _) || error.TryGetProperty("param", out _));
                type = error.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            }
        }
        catch (JsonException)
        {
        }

        if (message is null || !anthropicShape)
        {
            return ErrorBodyNormalizer.TryNormalize(_status, body, output);
        }

        OpenAiErrorWriter.Write(new ClientError(_status, message, OpenAiErrorWriter.TypeFor(_status), null, type), output);
        return true;
    }

    private void WriteCompletion(ReadOnlySpan<byte> body, IBufferWriter<byte> output)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        var root = document.RootElement;
        ReadUsage(root.TryGetProperty("usage", out var usage) ? usage : default);
        if (root.TryGetProperty("id", out var id))
        {
            _id = id.GetString() ?? _id;
        }

        if (root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String)
        {
            _model = model.GetString()!;
        }

        var text = new System.Text.StringBuilder();
        string? reasoning = null;
        var hasText = false;
        var tools = new List<JsonElement>();
        if (root.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
        {
            foreach (var block in content.EnumerateArray())
            {
                switch (block.TryGetProperty("type", out var type) ? type.GetString() : null)
                {
                    case "text":
                        text.Append(block.GetProperty("text").GetString());
                        hasText = true;
                        break;
                    case "tool_use" when jsonTool is not null && block.TryGetProperty("name", out var toolName) && toolName.GetString() == jsonTool:
                        text.Append(block.TryGetProperty("input", out var json) ? json.GetRawText() : "{}");
                        hasText = true;
                        break;
                    case "tool_use":
                        tools.Add(block);
                        break;
                    case "thinking":
                        reasoning = (reasoning ?? string.Empty) + block.GetProperty("thinking").GetString();
                        break;
                }
            }
        }

        using var writer = new Utf8JsonWriter(output, WriterOptions);
        OpenAiChatCompletionWriter.WriteStartWithChoice(writer, _id, created, _model, text.ToString(), hasText, reasoning, tools, "id", FinishReason(root.TryGetProperty("stop_reason", out var stop) ? stop.GetString() : null));
        WriteUsageObject(writer);
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
            // The provider's stream ended without message_stop: still end the client's stream properly.
            WriteDone(output);
        }

        return true;
    }

    private void OnEvent(ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        using var document = JsonDocument.Parse(data.ToArray());
        var root = document.RootElement;
        switch (root.TryGetProperty("type", out var type) ? type.GetString() : null)
        {
            case "message_start":
                var message = root.GetProperty("message");
                _id = message.TryGetProperty("id", out var id) ? id.GetString() ?? _id : _id;
                if (message.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String)
                {
                    _model = model.GetString()!;
                }

                ReadUsage(message.TryGetProperty("usage", out var startUsage) ? startUsage : default);
                WriteChunk(output, w =>
                {
                    w.WriteString("role"u8, "assistant");
                    w.WriteString("content"u8, string.Empty);
                });
                break;
            case "content_block_start":
                var block = root.GetProperty("content_block");
                _inJsonBlock = false;
                if (block.GetProperty("type").GetString() == "tool_use" && jsonTool is not null && block.GetProperty("name").GetString() == jsonTool)
                {
                    // JSON mode: the tool's input is the answer; its deltas are content.
                    _inJsonBlock = true;
                    _currentTool = -1;
                }
                else if (block.GetProperty("type").GetString() == "tool_use")
                {
                    _sawToolUse = true;
                    _currentTool = _toolCalls++;
                    var index = _currentTool;
                    var toolId = block.GetProperty("id").GetString();
                    var name = block.GetProperty("name").GetString();
                    WriteChunk(output, w =>
                    {
                        w.WriteStartArray("tool_calls"u8);
                        w.WriteStartObject();
                        w.WriteNumber("index"u8, index);
                        w.WriteString("id"u8, toolId);
                        w.WriteString("type"u8, "function");
                        w.WriteStartObject("function"u8);
                        w.WriteString("name"u8, name);
                        w.WriteString("arguments"u8, string.Empty);
                        w.WriteEndObject();
                        w.WriteEndObject();
                        w.WriteEndArray();
                    });
                }
                else
                {
                    _currentTool = -1;
                }

                break;
            case "content_block_delta":
                var delta = root.GetProperty("delta");
                switch (delta.GetProperty("type").GetString())
                {
                    case "text_delta":
                        var text = delta.GetProperty("text").GetString();
                        WriteChunk(output, w => w.WriteString("content"u8, text));
                        break;
                    case "thinking_delta":
                        var thinking = delta.GetProperty("thinking").GetString();
                        WriteChunk(output, w => w.WriteString("reasoning_content"u8, thinking));
                        break;
                    case "input_json_delta" when _inJsonBlock:
                        var json = delta.GetProperty("partial_json").GetString();
                        if (!string.IsNullOrEmpty(json))
                        {
                            WriteChunk(output, w => w.WriteString("content"u8, json));
                        }

                        break;
                    case "input_json_delta" when _currentTool >= 0:
                        var partial = delta.GetProperty("partial_json").GetString();
                        var toolIndex = _currentTool;
                        if (!string.IsNullOrEmpty(partial))
                        {
                            WriteChunk(output, w =>
                            {
                                w.WriteStartArray("tool_calls"u8);
                                w.WriteStartObject();
                                w.WriteNumber("index"u8, toolIndex);
                                w.WriteStartObject("function"u8);
                                w.WriteString("arguments"u8, partial);
                                w.WriteEndObject();
                                w.WriteEndObject();
                                w.WriteEndArray();
                            });
                        }

                        break;
                }

                break;
            case "message_delta":
                if (root.TryGetProperty("usage", out var deltaUsage))
                {
                    ReadUsage(deltaUsage);
                }

                var stop = root.TryGetProperty("delta", out var messageDelta) && messageDelta.TryGetProperty("stop_reason", out var reason) ? reason.GetString() : null;
                var finish = FinishReason(stop);
                if (_sawToolUse && finish == "stop")
                {
                    finish = "tool_calls";
                }
                else if (!_sawToolUse && finish == "tool_calls")
                {
                    // Only the JSON-mode tool was called: a plain answer.
                    finish = "stop";
                }

                WriteChunk(output, _ => { }, finish);
                break;
            case "message_stop":
                WriteDone(output);
                break;
            case "error":
                var error = root.GetProperty("error");
                WriteStreamError(
                    output,
                    error.TryGetProperty("message", out var m) ? m.GetString() ?? "The provider failed mid-stream." : "The provider failed mid-stream.",
                    error.TryGetProperty("type", out var t) ? t.GetString() : null);
                break;
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
        if (_done)
        {
            return;
        }

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

    private void WriteChunk(IBufferWriter<byte> output, Action<Utf8JsonWriter> writeDelta, string? finishReason = null)
    {
        output.Write("data: "u8);
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            WriteChunkHeader(writer);
            writer.WriteStartArray("choices"u8);
            writer.WriteStartObject();
            writer.WriteNumber("index"u8, 0);
            writer.WriteStartObject("delta"u8);
            writeDelta(writer);
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
        }

        output.Write("\n\n"u8);
    }

    private void WriteChunkHeader(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, _id);
        writer.WriteString("object"u8, "chat.completion.chunk");
        writer.WriteNumber("created"u8, created);
        writer.WriteString("model"u8, _model);
    }

    private void ReadUsage(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        static long Read(JsonElement usage, string name, long current) =>
            usage.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : current;

        _input = Read(usage, "input_tokens", _input);
        _cacheRead = Read(usage, "cache_read_input_tokens", _cacheRead);
        _cacheWrite = Read(usage, "cache_creation_input_tokens", _cacheWrite);
        _output = Read(usage, "output_tokens", _output);

        // Anthropic's input excludes cached tokens; OpenAI's prompt_tokens includes them (§8.2).
        var prompt = _input + _cacheRead + _cacheWrite;
        _usage = new TokenUsage(prompt, _output, prompt + _output, _cacheRead, true) { CacheWriteInputTokens = _cacheWrite };
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

    private struct StreamState(AnthropicResponseTranslator owner, IBufferWriter<byte> output)
    {
        public readonly AnthropicResponseTranslator Owner = owner;
        public readonly IBufferWriter<byte> Output = output;
    }
}
