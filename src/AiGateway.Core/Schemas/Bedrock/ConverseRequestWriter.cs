using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using AiGateway.Core.Schemas.OpenAi;
using AiGateway.Core.Translation;

namespace AiGateway.Core.Schemas.Bedrock;

/// <summary>
/// Writes a Bedrock Converse request from an OpenAI chat request (provider-apis.md §4.4, §4.8): system and
/// developer messages to <c>system</c>, consecutive turns of one role merged (Converse demands strict
/// alternation), tool calls to <c>toolUse</c>, tool messages to <c>toolResult</c> blocks of a user turn,
/// data-URL images to image bytes, and sampling, stop and tool parameters to <c>inferenceConfig</c> and
/// <c>toolConfig</c>. JSON mode (<c>response_format</c> json_object or json_schema) becomes a forced tool,
/// <see cref="JsonResponseTool"/>, whose input schema is the wanted output. What Converse cannot honour
/// (n&gt;1, log probabilities, penalties, remote image URLs, ...) is a client error, never dropped. The
/// model goes in the path, not the body.
/// </summary>
public static class ConverseRequestWriter
{
    /// <summary>
    /// The tool that stands for <c>response_format</c> JSON mode: Converse has no JSON mode of its own, so
    /// the model is made to call this tool, and its input is the answer.
    /// </summary>
    public const string JsonResponseTool = "json_response";

    private const string Provider = "AWS Bedrock";

    // Scratch buffers reused per thread; one bigger than this is dropped after use rather than kept.
    private const int MaxCachedBuffer = 256 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_scratch;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_blocks;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the Converse body; returns a client error instead when the request cannot be expressed.</summary>
    public static ClientError? Write(ReadOnlyMemory<byte> openAiBody, IBufferWriter<byte> output)
    {
        using var document = JsonDocument.Parse(openAiBody);
        var root = document.RootElement;
        if (Unsupported(root) is { } unsupported)
        {
            return unsupported;
        }

        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return new ClientError(400, "'messages' must be an array of messages.", "invalid_request_error", "messages", "invalid_type");
        }

        // Write into a scratch buffer first: a client error found halfway must leave the output untouched.
        var scratch = t_scratch ??= new ArrayBufferWriter<byte>(16 * 1024);
        scratch.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(scratch, WriterOptions))
        {
            writer.WriteStartObject();
            var error = WriteMessages(writer, messages, out var historyTools)
                ?? WriteSystem(writer, messages)
                ?? WriteInferenceConfig(writer, root)
                ?? WriteToolConfig(writer, root, historyTools);
            if (error is not null)
            {
                return error;
            }

            writer.WriteEndObject();
        }

        output.Write(scratch.WrittenSpan);
        if (scratch.Capacity > MaxCachedBuffer)
        {
            t_scratch = null;
        }

        return null;
    }

    private static ClientError Reject(string param, string why) =>
        new(400, $"'{param}' is not supported by this provider ({Provider}): {why}.", "invalid_request_error", param, "unsupported_parameter");

    private static ClientError? Unsupported(JsonElement root)
    {
        if (root.TryGetProperty("n", out var n) && n.ValueKind == JsonValueKind.Number && (!n.TryGetInt32(out var count) || count != 1))
        {
            return Reject("n", "Converse returns exactly one choice");
        }

        if (root.TryGetProperty("logprobs", out var logprobs) && logprobs.ValueKind == JsonValueKind.True)
        {
            return Reject("logprobs", "Converse returns no log probabilities");
        }

        if (root.TryGetProperty("top_logprobs", out var top) && top.ValueKind == JsonValueKind.Number)
        {
            return Reject("top_logprobs", "Converse returns no log probabilities");
        }

        if (OpenAiResponseFormat.JsonSchema(root, out var formatError).ValueKind == JsonValueKind.Undefined && formatError is not null)
        {
            return Reject("response_format", formatError);
        }

        if (root.TryGetProperty("modalities", out var modalities) && modalities.ValueKind == JsonValueKind.Array
            && modalities.EnumerateArray().Any(m => m.ValueKind == JsonValueKind.String && m.GetString() == "audio"))
        {
            return Reject("modalities", "Converse has no audio output");
        }

        if (root.TryGetProperty("audio", out var audio) && audio.ValueKind == JsonValueKind.Object)
        {
            return Reject("audio", "Converse has no audio output");
        }

        foreach (var name in (string[])["presence_penalty", "frequency_penalty"])
        {
            if (root.TryGetProperty(name, out var penalty) && penalty.ValueKind == JsonValueKind.Number && penalty.GetDouble() != 0)
            {
                return Reject(name, "Converse has no penalties");
            }
        }

        if (root.TryGetProperty("logit_bias", out var bias) && bias.ValueKind == JsonValueKind.Object && bias.EnumerateObject().Any())
        {
            return Reject("logit_bias", "Converse has no logit bias");
        }

        if (root.TryGetProperty("seed", out var seed) && seed.ValueKind == JsonValueKind.Number)
        {
            return Reject("seed", "Converse has no seed");
        }

        if (root.TryGetProperty("parallel_tool_calls", out var parallel) && parallel.ValueKind == JsonValueKind.False)
        {
            return Reject("parallel_tool_calls", "Converse cannot turn parallel tool calls off");
        }

        return null;
    }

    private static ClientError? WriteSystem(Utf8JsonWriter writer, JsonElement messages)
    {
        var wrote = false;
        var index = -1;
        foreach (var message in messages.EnumerateArray())
        {
            index++;
            if (Role(message) is not ("system" or "developer"))
            {
                continue;
            }

            var text = OpenAiMessageText.TextOf(message);
            if (text is null)
            {
                return new ClientError(400, $"messages[{index}]: system and developer messages must contain text only.", "invalid_request_error", $"messages[{index}].content", "invalid_content");
            }

            if (text.Length == 0)
            {
                continue; // Converse rejects blank text blocks.
            }

            if (!wrote)
            {
                writer.WriteStartArray("system"u8);
                wrote = true;
            }

            writer.WriteStartObject();
            writer.WriteString("text"u8, text);
            writer.WriteEndObject();
        }

        if (wrote)
        {
            writer.WriteEndArray();
        }

        return null;
    }

    /// <summary>Writes <c>messages</c>; <paramref name="historyTools"/> gets the tool names the history's tool blocks use.</summary>
    private static ClientError? WriteMessages(Utf8JsonWriter writer, JsonElement messages, out List<string>? historyTools)
    {
        historyTools = null;
        writer.WriteStartArray("messages"u8);
        string? openRole = null;
        var blocks = t_blocks ??= new ArrayBufferWriter<byte>(4 * 1024);
        blocks.ResetWrittenCount();
        using var blockWriter = new Utf8JsonWriter(blocks, WriterOptions);
        var index = -1;
        foreach (var message in messages.EnumerateArray())
        {
            index++;
            var role = Role(message);
            var converseRole = role switch
            {
                "user" or "tool" or "function" => "user",
                "assistant" => "assistant",
                "system" or "developer" => null,
                _ => "?",
            };
            if (converseRole is null)
            {
                continue;
            }

            if (converseRole == "?")
            {
                return new ClientError(400, $"messages[{index}].role '{role}' is not a known role.", "invalid_request_error", $"messages[{index}].role", "invalid_value");
            }

            blocks.ResetWrittenCount();
            blockWriter.Reset(blocks);

            var (count, usesTools, error) = WriteBlocks(blockWriter, message, role!, index);
            blockWriter.Flush();
            if (error is not null)
            {
                return error;
            }

            if (usesTools)
            {
                AddToolNames(message, historyTools ??= []);
            }
            if (count == 0)
            {
                continue; // Empty turns and blank texts are rejected by Converse (pitfall 15).
            }

            if (openRole != converseRole)
            {
                if (openRole is not null)
                {
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }

                writer.WriteStartObject();
                writer.WriteString("role"u8, converseRole);
                writer.WriteStartArray("content"u8);
                openRole = converseRole;
            }

            writer.WriteRawValue(blocks.WrittenSpan[1..^1], skipInputValidation: true);
        }

        if (openRole is not null)
        {
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (blocks.Capacity > MaxCachedBuffer)
        {
            t_blocks = null;
        }

        return null;
    }

    /// <summary>The tool names a history message uses: its tool calls', or a tool result's <c>name</c>.</summary>
    private static void AddToolNames(JsonElement message, List<string> names)
    {
        if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in calls.EnumerateArray())
            {
                if (call.TryGetProperty("function", out var function) && function.TryGetProperty("name", out var name))
                {
                    Add(name);
                }
            }
        }
        else if (message.TryGetProperty("name", out var name))
        {
            Add(name);
        }

        void Add(JsonElement name)
        {
            if (name.ValueKind == JsonValueKind.String && name.GetString() is { Length: > 0 } text && !names.Contains(text))
            {
                names.Add(text);
            }
        }
    }

    /// <summary>
    /// Writes a message's content blocks as a JSON array; returns how many and whether any is a tool block.
    /// On an error the writer is left mid-array: the caller discards it.
    /// </summary>
    private static (int Count, bool UsesTools, ClientError? Error) WriteBlocks(Utf8JsonWriter writer, JsonElement message, string role, int index)
    {
        writer.WriteStartArray();
        if (role is "tool" or "function")
        {
            var text = OpenAiMessageText.TextOf(message);
            if (text is null)
            {
                return (0, true, new ClientError(400, $"messages[{index}]: tool results must be text.", "invalid_request_error", $"messages[{index}].content", "invalid_content"));
            }

            writer.WriteStartObject();
            writer.WriteStartObject("toolResult"u8);
            var id = message.TryGetProperty("tool_call_id", out var callId) && callId.ValueKind == JsonValueKind.String
                ? callId.GetString()
                : message.TryGetProperty("name", out var name) ? name.GetString() : null;
            writer.WriteString("toolUseId"u8, id ?? string.Empty);
            writer.WriteStartArray("content"u8);
            writer.WriteStartObject();
            writer.WriteString("text"u8, text);
            writer.WriteEndObject();
            writer.WriteEndArray();
            if (OpenAiMessageText.IsErrorObject(text))
            {
                writer.WriteString("status"u8, "error");
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndArray();
            return (1, true, null);
        }

        var count = 0;
        var usesTools = false;
        if (message.TryGetProperty("content", out var content))
        {
            if (content.ValueKind == JsonValueKind.String)
            {
                count += WriteText(writer, content);
            }
            else if (content.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in content.EnumerateArray())
                {
                    var type = part.TryGetProperty("type", out var t) ? t.GetString() : null;
                    switch (type)
                    {
                        case "text":
                            count += part.TryGetProperty("text", out var partText) ? WriteText(writer, partText) : 0;
                            break;
                        case "image_url" when role == "user":
                            if (WriteImage(writer, part, index) is { } imageError)
                            {
                                return (count, false, imageError);
                            }

                            count++;
                            break;
                        default:
                            return (count, false, new ClientError(400, $"messages[{index}] has a '{type}' content part, which this provider ({Provider}) cannot take.", "invalid_request_error", $"messages[{index}].content", "unsupported_content"));
                    }
                }
            }
        }

        if (role == "assistant" && message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in calls.EnumerateArray())
            {
                if (!call.TryGetProperty("function", out var function) || !function.TryGetProperty("name", out var functionName))
                {
                    return (count, true, new ClientError(400, $"messages[{index}].tool_calls: each call needs a function name.", "invalid_request_error", $"messages[{index}].tool_calls", "invalid_tool_call"));
                }

                writer.WriteStartObject();
                writer.WriteStartObject("toolUse"u8);
                writer.WriteString("toolUseId"u8, call.TryGetProperty("id", out var id) ? id.GetString() : string.Empty);
                writer.WriteString("name"u8, functionName.GetString());
                writer.WritePropertyName("input"u8);
                if (!TryWriteArguments(writer, function.TryGetProperty("arguments", out var a) ? a.GetString() : null))
                {
                    return (count, true, new ClientError(400, $"messages[{index}].tool_calls: arguments must be a JSON object.", "invalid_request_error", $"messages[{index}].tool_calls", "invalid_tool_arguments"));
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
                count++;
                usesTools = true;
            }
        }

        writer.WriteEndArray();
        return (count, usesTools, null);
    }

    /// <summary>
    /// Writes a <c>{"text":...}</c> block for a non-blank JSON string, copying its raw JSON (no decode and
    /// re-escape); returns 1, or 0 for a blank text, which Converse rejects.
    /// </summary>
    private static int WriteText(Utf8JsonWriter writer, JsonElement text)
    {
        if (text.ValueKind != JsonValueKind.String)
        {
            return 0;
        }

        var raw = JsonMarshal.GetRawUtf8Value(text);
        var inner = raw[1..^1];
        var plain = !inner.Contains((byte)'\\') && inner.IndexOfAnyInRange((byte)0x80, (byte)0xFF) < 0;
        if (plain ? inner.Trim((byte)' ').IsEmpty : string.IsNullOrWhiteSpace(text.GetString()))
        {
            return 0;
        }

        writer.WriteStartObject();
        writer.WritePropertyName("text"u8);
        writer.WriteRawValue(raw, skipInputValidation: true);
        writer.WriteEndObject();
        return 1;
    }

    private static ClientError? WriteImage(Utf8JsonWriter writer, JsonElement part, int index)
    {
        var url = part.TryGetProperty("image_url", out var image) && image.ValueKind == JsonValueKind.Object && image.TryGetProperty("url", out var u) ? u.GetString() : null;
        if (string.IsNullOrEmpty(url))
        {
            return new ClientError(400, $"messages[{index}]: image_url needs a url.", "invalid_request_error", $"messages[{index}].content", "invalid_image");
        }

        if (!url.StartsWith("data:", StringComparison.Ordinal))
        {
            // Converse takes image bytes or an S3 location, never an http URL; the gateway does not fetch.
            return new ClientError(400, $"messages[{index}]: this provider ({Provider}) needs images as base64 data URLs; remote image URLs are not fetched.", "invalid_request_error", $"messages[{index}].content", "unsupported_image_url");
        }

        var comma = url.IndexOf(',', StringComparison.Ordinal);
        var header = comma > 5 ? url[5..comma] : string.Empty;
        var format = header switch
        {
            "image/png;base64" => "png",
            "image/jpeg;base64" or "image/jpg;base64" => "jpeg",
            "image/gif;base64" => "gif",
            "image/webp;base64" => "webp",
            _ => null,
        };
        if (format is null || comma == url.Length - 1)
        {
            return new ClientError(400, $"messages[{index}]: only base64 data URLs of image/png, image/jpeg, image/gif or image/webp are accepted.", "invalid_request_error", $"messages[{index}].content", "invalid_image");
        }

        writer.WriteStartObject();
        writer.WriteStartObject("image"u8);
        writer.WriteString("format"u8, format);
        writer.WriteStartObject("source"u8);

        // The JSON wire form of Converse's blob is base64: the data URL's payload goes through as is.
        writer.WriteString("bytes"u8, url.AsSpan(comma + 1));
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        return null;
    }

    private static bool TryWriteArguments(Utf8JsonWriter writer, string? arguments)
    {
        if (string.IsNullOrWhiteSpace(arguments))
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
            return true;
        }

        try
        {
            using var parsed = JsonDocument.Parse(arguments);
            if (parsed.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            parsed.RootElement.WriteTo(writer);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static ClientError? WriteInferenceConfig(Utf8JsonWriter writer, JsonElement root)
    {
        int? maxTokens = null;
        foreach (var name in (string[])["max_completion_tokens", "max_tokens"])
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number)
            {
                if (!value.TryGetInt32(out var tokens) || tokens < 1)
                {
                    return new ClientError(400, $"'{name}' must be a positive whole number.", "invalid_request_error", name, "invalid_value");
                }

                maxTokens = tokens;
                break;
            }
        }

        double? temperature = null;
        if (root.TryGetProperty("temperature", out var t) && t.ValueKind == JsonValueKind.Number)
        {
            temperature = t.GetDouble();
            if (temperature is < 0 or > 1)
            {
                return new ClientError(400, $"temperature {temperature} is outside Converse's range 0..1.", "invalid_request_error", "temperature", "invalid_value");
            }
        }

        double? topP = root.TryGetProperty("top_p", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetDouble() : null;
        var stops = root.TryGetProperty("stop", out var stop)
            ? stop.ValueKind switch
            {
                JsonValueKind.String => [stop.GetString()!],
                JsonValueKind.Array => stop.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.String).Select(s => s.GetString()!).ToArray(),
                _ => [],
            }
            : Array.Empty<string>();
        stops = stops.Where(s => s.Length > 0).ToArray();
        if (maxTokens is null && temperature is null && topP is null && stops.Length == 0)
        {
            return null;
        }

        writer.WriteStartObject("inferenceConfig"u8);
        if (maxTokens is { } max)
        {
            writer.WriteNumber("maxTokens"u8, max);
        }

        if (temperature is { } temp)
        {
            writer.WriteNumber("temperature"u8, temp);
        }

        if (topP is { } top)
        {
            writer.WriteNumber("topP"u8, top);
        }

        if (stops.Length > 0)
        {
            writer.WriteStartArray("stopSequences"u8);
            foreach (var sequence in stops)
            {
                writer.WriteStringValue(sequence);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        return null;
    }

    /// <summary>
    /// Writes <c>toolConfig</c>: the client's tools, the JSON-mode tool, and a placeholder spec for each tool
    /// the history uses that is not otherwise defined. Converse rejects toolUse and toolResult blocks
    /// without a definition of their tool (pitfall 14), which happens when the client sends no tools with a
    /// tool-using history, or sends <c>tool_choice: "none"</c>, which Converse cannot express and which the
    /// gateway honours by leaving the client's tools out.
    /// </summary>
    private static ClientError? WriteToolConfig(Utf8JsonWriter writer, JsonElement root, List<string>? historyTools)
    {
        var hasTools = root.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() > 0;
        string? choice = null;
        string? choiceName = null;
        if (root.TryGetProperty("tool_choice", out var toolChoice))
        {
            if (toolChoice.ValueKind == JsonValueKind.String)
            {
                choice = toolChoice.GetString();
                if (choice is not ("auto" or "required" or "none"))
                {
                    return new ClientError(400, $"tool_choice '{choice}' is not one of auto, required, none.", "invalid_request_error", "tool_choice", "invalid_value");
                }
            }
            else if (toolChoice.ValueKind == JsonValueKind.Object && toolChoice.TryGetProperty("function", out var chosen) && chosen.TryGetProperty("name", out var name))
            {
                choice = "tool";
                choiceName = name.GetString();
            }
            else if (toolChoice.ValueKind != JsonValueKind.Null)
            {
                return new ClientError(400, "tool_choice must be auto, required, none or {\"type\":\"function\",\"function\":{\"name\":...}}.", "invalid_request_error", "tool_choice", "invalid_value");
            }
        }

        if (!hasTools && choice is "required" or "tool")
        {
            return new ClientError(400, "tool_choice requires tools.", "invalid_request_error", "tool_choice", "invalid_value");
        }

        var jsonSchema = OpenAiResponseFormat.JsonSchema(root, out _);
        var jsonMode = jsonSchema.ValueKind == JsonValueKind.Object;

        // Converse has no "none": leaving the client's tools out honours it.
        var sendTools = hasTools && choice != "none";
        List<string>? placeholders = null;
        foreach (var used in historyTools ?? [])
        {
            if (!(sendTools && DefinesTool(tools, used)) && !(jsonMode && used == JsonResponseTool))
            {
                (placeholders ??= []).Add(used);
            }
        }

        if (!sendTools && !jsonMode && placeholders is null)
        {
            return null;
        }

        writer.WriteStartObject("toolConfig"u8);
        writer.WriteStartArray("tools"u8);
        foreach (var tool in sendTools ? tools.EnumerateArray() : default)
        {
            if (!tool.TryGetProperty("function", out var function) || !function.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
            {
                return new ClientError(400, "Only function tools with a name are supported.", "invalid_request_error", "tools", "unsupported_tool");
            }

            if (jsonMode && name.ValueEquals(JsonResponseTool))
            {
                return new ClientError(400, $"The tool name '{JsonResponseTool}' is reserved by the gateway when response_format asks for JSON from {Provider}.", "invalid_request_error", "tools", "reserved_tool_name");
            }

            writer.WriteStartObject();
            writer.WriteStartObject("toolSpec"u8);
            writer.WriteString("name"u8, name.GetString());
            if (function.TryGetProperty("description", out var description) && description.ValueKind == JsonValueKind.String && description.GetString()!.Length > 0)
            {
                writer.WriteString("description"u8, description.GetString());
            }

            writer.WriteStartObject("inputSchema"u8);
            writer.WritePropertyName("json"u8);
            if (function.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object)
            {
                parameters.WriteTo(writer);
            }
            else
            {
                writer.WriteStartObject();
                writer.WriteString("type"u8, "object");
                writer.WriteStartObject("properties"u8);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        foreach (var placeholder in placeholders ?? [])
        {
            // Only there to make the history valid: no description, any object as input.
            writer.WriteStartObject();
            writer.WriteStartObject("toolSpec"u8);
            writer.WriteString("name"u8, placeholder);
            writer.WriteStartObject("inputSchema"u8);
            writer.WriteStartObject("json"u8);
            writer.WriteString("type"u8, "object");
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        if (jsonMode)
        {
            writer.WriteStartObject();
            writer.WriteStartObject("toolSpec"u8);
            writer.WriteString("name"u8, JsonResponseTool);
            writer.WriteString("description"u8, "Give the final answer as this tool's input: a JSON object matching the schema.");
            writer.WriteStartObject("inputSchema"u8);
            writer.WritePropertyName("json"u8);
            jsonSchema.WriteTo(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();

            // The answer must come as a tool call: the JSON tool, or one of the client's tools when it allowed them.
            (choice, choiceName) = sendTools && choice is null or "auto" or "required" ? ("required", null)
                : choice == "tool" ? ("tool", choiceName)
                : ("tool", JsonResponseTool);
        }

        writer.WriteEndArray();
        if ((sendTools || jsonMode) && choice is "auto" or "required" or "tool")
        {
            writer.WriteStartObject("toolChoice"u8);
            switch (choice)
            {
                case "auto":
                    writer.WriteStartObject("auto"u8);
                    writer.WriteEndObject();
                    break;
                case "required":
                    writer.WriteStartObject("any"u8);
                    writer.WriteEndObject();
                    break;
                default:
                    writer.WriteStartObject("tool"u8);
                    writer.WriteString("name"u8, choiceName);
                    writer.WriteEndObject();
                    break;
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        return null;
    }

    private static bool DefinesTool(JsonElement tools, string name)
    {
        foreach (var tool in tools.EnumerateArray())
        {
            if (tool.TryGetProperty("function", out var function) && function.TryGetProperty("name", out var defined)
                && defined.ValueKind == JsonValueKind.String && defined.ValueEquals(name))
            {
                return true;
            }
        }

        return false;
    }

    private static string? Role(JsonElement message) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty("role", out var role) && role.ValueKind == JsonValueKind.String ? role.GetString() : null;
}
