using System.Buffers;
using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text.Json;
using AiGateway.Core.Schemas.Anthropic;
using AiGateway.Core.Streaming;
using AiGateway.Core.Tokens;

namespace AiGateway.Core.Translation;

/// <summary>
/// The response side of <see cref="AnthropicToOpenAiTranslator"/>: runs the provider's own response
/// translator (which yields OpenAI's format) and turns its output into Anthropic's (provider-apis.md
/// §3.10). A chat completion becomes a <c>message</c> (content order thinking, text, tool_use); a chunk
/// stream becomes Anthropic's events chunk by chunk (<c>message_start</c>, one
/// <c>content_block_start</c>/<c>_delta</c>/<c>_stop</c> run per text, thinking or tool-use block,
/// <c>message_delta</c> with the stop reason and usage, <c>message_stop</c>); errors become Anthropic error
/// JSON or an <c>error</c> event, with the status kept.
/// </summary>
/// <param name="inner">The provider's response translator (OpenAI format out).</param>
/// <param name="requestedModel">The model the client asked for, used when the answer names none.</param>
/// <param name="requestedStream">True when the client asked for a stream.</param>
public sealed partial class AnthropicToOpenAiResponseTranslator(IResponseTranslator inner, string requestedModel, bool requestedStream) : IResponseTranslator
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ArrayBufferWriter<byte> _innerOutput = new();
    private Mode _mode;
    private int _status;
    private int? _statusOverride;
    private bool _malformed;

    private enum Mode
    {
        Json,
        Stream,
        Error,
    }

    /// <inheritdoc />
    public TokenUsage Usage => inner.Usage;

    /// <inheritdoc />
    public int? StatusOverride => _statusOverride;

    /// <inheritdoc />
    public bool MalformedInput => _malformed || inner.MalformedInput;

    /// <summary>Anthropic's <c>stop_reason</c> for an OpenAI <c>finish_reason</c> (provider-apis.md §3.10).</summary>
    /// <param name="finishReason">The OpenAI finish reason, or null when none was sent.</param>
    /// <param name="hadToolCalls">True when the answer called tools (some servers still say <c>stop</c>).</param>
    public static string StopReason(string? finishReason, bool hadToolCalls) => finishReason switch
    {
        "length" => "max_tokens",
        "tool_calls" or "function_call" => "tool_use",
        "content_filter" => "refusal",
        _ => hadToolCalls ? "tool_use" : "end_turn",
    };

    /// <inheritdoc />
    public ResponseHeadersResult OnHeaders(int status, string? contentType, bool endOfStream)
    {
        _status = status;
        var decision = inner.OnHeaders(status, contentType, endOfStream);
        if (status >= 400)
        {
            _mode = Mode.Error;
            var replacement = decision.ReplacementBody;
            if (replacement is not null)
            {
                var converted = new ArrayBufferWriter<byte>(replacement.Length + 32);
                replacement = AnthropicErrorNormalizer.TryNormalize(status, replacement, converted) ? converted.WrittenSpan.ToArray() : replacement;
            }

            return new ResponseHeadersResult(false, "application/json", replacement);
        }

        _mode = decision.StreamBody && requestedStream ? Mode.Stream : Mode.Json;
        return new ResponseHeadersResult(_mode == Mode.Stream, _mode == Mode.Stream ? "text/event-stream" : "application/json", null);
    }

    /// <inheritdoc />
    public bool OnBody(ReadOnlySpan<byte> chunk, bool endOfStream, IBufferWriter<byte> output)
    {
        if (_mode == Mode.Error && AnthropicErrorWriter.IsAnthropicError(chunk))
        {
            // Already in the client's format (the gateway's own replies for Messages requests).
            return false;
        }

        _innerOutput.ResetWrittenCount();
        var translated = inner.OnBody(chunk, endOfStream, _innerOutput) ? _innerOutput.WrittenSpan : chunk;
        switch (_mode)
        {
            case Mode.Error:
                if (!AnthropicErrorNormalizer.TryNormalize(_status, translated, output))
                {
                    output.Write(translated);
                }

                return true;
            case Mode.Json:
                if (inner.StatusOverride is { } failed)
                {
                    // The provider's answer was unreadable; the inner translator wrote an OpenAI error.
                    _statusOverride = failed;
                    AnthropicErrorNormalizer.TryNormalize(failed, translated, output);
                    return true;
                }

                WriteMessage(translated, output);
                return true;
            default:
                WriteEvents(translated, endOfStream, output);
                return true;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _events?.Dispose();
        inner.Dispose();
    }

    private void WriteMessage(ReadOnlySpan<byte> completion, IBufferWriter<byte> output)
    {
        // Translate into a scratch buffer so a malformed answer leaves nothing half-written.
        var message = new ArrayBufferWriter<byte>(completion.Length + 256);
        try
        {
            WriteMessageCore(completion, message);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            _statusOverride = 502;
            AnthropicErrorWriter.Write(502, "The provider's response could not be read.", output);
            return;
        }

        output.Write(message.WrittenSpan);
    }

    private void WriteMessageCore(ReadOnlySpan<byte> completion, IBufferWriter<byte> output)
    {
        // Parse from a pooled copy: JsonDocument.Parse over memory keeps its metadata pooled too.
        var copy = ArrayPool<byte>.Shared.Rent(completion.Length);
        try
        {
            completion.CopyTo(copy);
            using var document = JsonDocument.Parse(copy.AsMemory(0, completion.Length));
            WriteMessageCore(document.RootElement, output);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private void WriteMessageCore(JsonElement root, IBufferWriter<byte> output)
    {
        var choice = root.GetProperty("choices")[0];
        var message = choice.GetProperty("message");
        var finish = choice.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        var hasTools = message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array && calls.GetArrayLength() > 0;

        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        if (root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
        {
            Copy(writer, "id"u8, id);
        }
        else
        {
            writer.WriteString("id"u8, "msg_gateway"u8);
        }

        writer.WriteString("type"u8, "message");
        writer.WriteString("role"u8, "assistant");
        if (root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String)
        {
            Copy(writer, "model"u8, model);
        }
        else
        {
            writer.WriteString("model"u8, requestedModel);
        }

        writer.WriteStartArray("content"u8);
        if ((NonEmptyString(message, "reasoning_content") ?? NonEmptyString(message, "reasoning")) is { } reasoning)
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "thinking");
            Copy(writer, "thinking"u8, reasoning);
            writer.WriteString("signature"u8, string.Empty);
            writer.WriteEndObject();
        }

        WriteTextBlock(writer, message, hasTools);

        if (hasTools)
        {
            foreach (var call in calls.EnumerateArray())
            {
                var function = call.GetProperty("function");
                writer.WriteStartObject();
                writer.WriteString("type"u8, "tool_use");
                Copy(writer, "id"u8, call.GetProperty("id"));
                Copy(writer, "name"u8, function.GetProperty("name"));
                writer.WritePropertyName("input"u8);
                WriteToolInput(writer, StringOf(function, "arguments"));
                writer.WriteEndObject();
            }
        }

        writer.WriteEndArray();
        writer.WriteString("stop_reason"u8, StopReason(finish, hasTools));
        writer.WriteNull("stop_sequence"u8);
        WriteUsage(writer, inner.Usage);
        writer.WriteEndObject();
    }

    /// <summary>Tool arguments (a JSON string in OpenAI) as Anthropic's <c>input</c> object.</summary>
    private static void WriteToolInput(Utf8JsonWriter writer, string? arguments)
    {
        if (string.IsNullOrWhiteSpace(arguments))
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
            return;
        }

        using var parsed = JsonDocument.Parse(arguments);
        if (parsed.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException("tool arguments are not a JSON object");
        }

        parsed.RootElement.WriteTo(writer);
    }

    /// <summary>Usage in Anthropic's terms: input excludes the cached tokens that OpenAI counts inside the prompt.</summary>
    private static void WriteUsage(Utf8JsonWriter writer, TokenUsage usage)
    {
        writer.WriteStartObject("usage"u8);
        writer.WriteNumber("input_tokens"u8, Math.Max(0, usage.InputTokens - usage.CachedInputTokens));
        writer.WriteNumber("output_tokens"u8, usage.OutputTokens);
        writer.WriteNumber("cache_creation_input_tokens"u8, 0);
        writer.WriteNumber("cache_read_input_tokens"u8, usage.CachedInputTokens);
        writer.WriteEndObject();
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>
    /// The text block: the message's content (a string, or its text parts joined), else its refusal. An
    /// empty text is written only when there are no tool calls.
    /// </summary>
    private static void WriteTextBlock(Utf8JsonWriter writer, JsonElement message, bool hasTools)
    {
        var hasContent = message.TryGetProperty("content", out var content) && content.ValueKind is JsonValueKind.String or JsonValueKind.Array;
        if (!hasContent && !(message.TryGetProperty("refusal", out content) && content.ValueKind == JsonValueKind.String))
        {
            return;
        }

        if (content.ValueKind == JsonValueKind.String && hasTools && content.ValueEquals(ReadOnlySpan<byte>.Empty))
        {
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("type"u8, "text");
        if (content.ValueKind == JsonValueKind.String)
        {
            Copy(writer, "text"u8, content);
        }
        else
        {
            var text = new System.Text.StringBuilder();
            foreach (var part in content.EnumerateArray())
            {
                if (StringOf(part, "text") is { } piece)
                {
                    text.Append(piece);
                }
            }

            writer.WriteString("text"u8, text.ToString());
        }

        writer.WriteEndObject();
    }

    private static JsonElement? NonEmptyString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !value.ValueEquals(ReadOnlySpan<byte>.Empty) ? value : null;

    /// <summary>Writes a value as the provider sent it, escapes included (it was parsed, so it is valid JSON).</summary>
    private static void Copy(Utf8JsonWriter writer, ReadOnlySpan<byte> name, JsonElement value)
    {
        writer.WritePropertyName(name);
        writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(value), skipInputValidation: true);
    }

    private static void WriteInt(IBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        output.Advance(written);
    }
}
